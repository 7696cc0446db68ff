namespace RigNotebooks.Doctor;

/// <summary>One check of the doctor. Each rule is a small class with one reason to exist.</summary>
public interface IDoctorRule
{
    IEnumerable<Finding> Check(DoctorInput input);
}
