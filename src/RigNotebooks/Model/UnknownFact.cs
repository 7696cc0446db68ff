namespace RigNotebooks.Model;

/// <summary>A fact the rig could not read, and why. The kit never makes such a value up.</summary>
public sealed record UnknownFact(string Field, string Reason);
