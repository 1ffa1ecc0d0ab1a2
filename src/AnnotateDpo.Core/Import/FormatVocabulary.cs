using AnnotateDpo.Core.Domain;

namespace AnnotateDpo.Core.Import;

/// <summary>The lower-case names our files use for enum values (docs/formats.md), shared by import and export.</summary>
internal static class FormatVocabulary
{
    public static readonly EnumVocabulary<SftStatus> Status = new(
        (SftStatus.Draft, "draft"), (SftStatus.Submitted, "submitted"),
        (SftStatus.Approved, "approved"), (SftStatus.Rejected, "rejected"));

    public static readonly EnumVocabulary<ResponseOrigin> Origin = new(
        (ResponseOrigin.Human, "human"), (ResponseOrigin.Model, "model"), (ResponseOrigin.Edited, "edited"));

    public static readonly EnumVocabulary<Verdict> Verdict = new(
        (Domain.Verdict.A, "a"), (Domain.Verdict.B, "b"), (Domain.Verdict.Tie, "tie"), (Domain.Verdict.BothBad, "both_bad"));

    public static readonly EnumVocabulary<VerdictStrength> Strength = new(
        (VerdictStrength.Slight, "slight"), (VerdictStrength.Clear, "clear"), (VerdictStrength.Strong, "strong"));

    public static readonly EnumVocabulary<ShownOrder> ShownOrder = new(
        (Domain.ShownOrder.AB, "ab"), (Domain.ShownOrder.BA, "ba"));
}

internal sealed class EnumVocabulary<T> where T : struct, Enum
{
    private readonly Dictionary<T, string> _names;
    private readonly Dictionary<string, T> _values;

    public EnumVocabulary(params (T Value, string Name)[] entries)
    {
        _names = entries.ToDictionary(e => e.Value, e => e.Name);
        _values = entries.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
        Allowed = string.Join(", ", entries.Select(e => e.Name));
    }

    /// <summary>The valid names, for error messages.</summary>
    public string Allowed { get; }

    public string Name(T value) => _names[value];

    public bool TryParse(string name, out T value) => _values.TryGetValue(name, out value);
}
