namespace RigNotebooks.Results.Sharing;

/// <summary>The kinds of text that identify a machine or a person, which an anonymised export replaces.</summary>
public enum IdentifierKind
{
    GpuUuid,
    Serial,
    Hostname,
    UserName,
}

/// <summary>An alias an anonymised archive uses, and what kind of identifier it stands for (never the original).</summary>
public sealed record IdentifierAlias(IdentifierKind Kind, string Alias);
