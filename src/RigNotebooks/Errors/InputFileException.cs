namespace RigNotebooks.Errors;

/// <summary>An input file (rig profile, catalog, run, archive) that cannot be used: which file, where in it (a JSON path), and what is wrong.</summary>
public sealed class InputFileException : RigInputException
{
    public InputFileException(string file, string jsonPath, string problem)
        : base($"{file}: at {jsonPath}: {problem}")
    {
        File = file;
        JsonPath = jsonPath;
        Problem = problem;
    }

    public InputFileException(string file, string jsonPath, string problem, Exception inner)
        : base($"{file}: at {jsonPath}: {problem}", inner)
    {
        File = file;
        JsonPath = jsonPath;
        Problem = problem;
    }

    public string File { get; }

    public string JsonPath { get; }

    public string Problem { get; }
}
