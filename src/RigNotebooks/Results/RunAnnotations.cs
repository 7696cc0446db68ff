using System.Text.RegularExpressions;
using RigNotebooks.Errors;

namespace RigNotebooks.Results;

/// <summary>Notes and tags on runs: what the user changed between runs, kept in run.json beside the numbers.
/// Only the metadata is rewritten (atomically); rows are never touched.</summary>
public static partial class RunAnnotations
{
    public const int MaxNoteLength = 4000;
    public const int MaxTagLength = 64;

    /// <summary>Adds a timestamped note to a run.</summary>
    public static LoadedRun AddNote(this RunStore store, string run, string text)
    {
        var note = (text ?? string.Empty).Trim();
        if (note.Length == 0)
        {
            throw new RigInputException("A note needs some text, e.g. rig runs note <run> \"driver 535, iommu=pt\".");
        }

        if (note.Length > MaxNoteLength)
        {
            throw new RigInputException($"A note can be at most {MaxNoteLength} characters; this one has {note.Length}.");
        }

        return store.Update(run, r => r with { Notes = [.. r.Notes, new RunNote(DateTimeOffset.UtcNow, note)] });
    }

    /// <summary>Adds tags (kept once each, in the order first given).</summary>
    public static LoadedRun AddTags(this RunStore store, string run, IEnumerable<string> tags)
    {
        var wanted = Validate(tags);
        return store.Update(run, r => r with { Tags = [.. r.Tags, .. wanted.Where(t => !r.Tags.Contains(t, StringComparer.Ordinal))] });
    }

    /// <summary>Removes tags; a tag the run does not have is an error, so a typo is not silently ignored.</summary>
    public static LoadedRun RemoveTags(this RunStore store, string run, IEnumerable<string> tags)
    {
        var unwanted = Validate(tags);
        return store.Update(run, r =>
        {
            var missing = unwanted.Where(t => !r.Tags.Contains(t, StringComparer.Ordinal)).ToList();
            if (missing.Count > 0)
            {
                throw new RigInputException(
                    $"Run {r.Id} has no tag {string.Join(", ", missing.Select(t => $"'{t}'"))}" +
                    (r.Tags.Count > 0 ? $"; its tags: {string.Join(", ", r.Tags)}." : "; it has no tags."));
            }

            return r with { Tags = r.Tags.Where(t => !unwanted.Contains(t, StringComparer.Ordinal)).ToList() };
        });
    }

    /// <summary>Why a tag cannot be used, or null. Tags are single words, so they can be typed and filtered on.</summary>
    public static string? CheckTag(string tag)
    {
        if (string.IsNullOrEmpty(tag))
        {
            return "a tag must not be empty";
        }

        if (tag.Length > MaxTagLength)
        {
            return $"tag '{InputGuard.Excerpt(tag)}' is longer than {MaxTagLength} characters";
        }

        return TagPattern().IsMatch(tag)
            ? null
            : $"tag '{InputGuard.Excerpt(tag)}' may hold only letters, digits and . _ - + = : / @ (no spaces or commas), starting with a letter or digit";
    }

    private static List<string> Validate(IEnumerable<string> tags)
    {
        var list = tags.Select(t => t.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (list.Count == 0)
        {
            throw new RigInputException("Give at least one tag, e.g. rig runs tag <run> driver-535 capped.");
        }

        if (list.Select(CheckTag).FirstOrDefault(p => p is not null) is { } problem)
        {
            throw new RigInputException($"Cannot use {problem}.");
        }

        return list;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+=:/@-]*$")]
    private static partial Regex TagPattern();
}
