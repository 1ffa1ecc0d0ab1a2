using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace AnnotateDpo.Core.Statistics;

/// <summary>The bars a workspace's data must clear before training; section <c>Readiness</c>.</summary>
public sealed class ReadinessOptions
{
    public const string SectionName = "Readiness";

    /// <summary>Approved SFT examples needed; the guideline is 50–200. Default 50.</summary>
    [Range(1, int.MaxValue)]
    public int MinimumApprovedSft { get; set; } = 50;

    /// <summary>Resolved preference pairs needed for DPO. Default 100.</summary>
    [Range(1, int.MaxValue)]
    public int MinimumResolvedPairs { get; set; } = 100;

    /// <summary>Krippendorff's α needed among annotators. Default 0.4.</summary>
    [Range(-1.0, 1.0)]
    public double MinimumAlpha { get; set; } = 0.4;

    /// <summary>A flagged left-position share this far from 50% is severe (red) rather than a warning. Default 0.1.</summary>
    [Range(0.0, 0.5)]
    public double SeverePositionBias { get; set; } = 0.1;
}

public enum ReadinessLevel { Green, Amber, Red }

/// <summary>What a readiness check is about; <see cref="Readiness.Title"/> names it in English.</summary>
public enum ReadinessItem { ApprovedSft, CategoriesCovered, ResolvedPairs, AnnotatorAgreement, PositionBias }

/// <summary>What the number behind a check says; <see cref="Readiness.Template"/> is its English sentence.</summary>
public enum ReadinessFinding
{
    /// <summary>Arguments: approved examples (int), needed (int).</summary>
    ApprovedOfNeeded,
    /// <summary>Arguments: categories with approved examples (int), categories (int).</summary>
    CategoriesWithApproved,
    /// <summary>Arguments: resolved pairs (int), needed (int).</summary>
    ResolvedOfNeeded,
    /// <summary>Arguments: items judged at least twice (int), the α needed (double).</summary>
    AlphaNotMeasurable,
    /// <summary>Arguments: α (double), items (int), the α needed (double).</summary>
    AlphaOverItems,
    /// <summary>Arguments: left share (double), A/B verdicts (int), the interval's low and high ends (double).</summary>
    LeftShare,
}

/// <summary>
/// One item of the checklist as facts: the item, its level, and the finding with its numbers, which a reader's
/// language formats (the web app through its resources, keyed by <see cref="Template"/>).
/// </summary>
public sealed record ReadinessCheck(ReadinessItem Item, ReadinessLevel Level, ReadinessFinding Finding, IReadOnlyList<object> Arguments)
{
    /// <summary>The item's English name.</summary>
    public string Name => Readiness.Title(Item);

    /// <summary>The finding's English composite format string, the arguments in the order <see cref="ReadinessFinding"/> lists.</summary>
    public string Template => Readiness.Template(Finding);

    /// <summary>The finding in English, numbers in the invariant culture (the CLI, the CSV export).</summary>
    public string Detail => string.Format(CultureInfo.InvariantCulture, Template, [.. Arguments]);
}

/// <summary>A training-readiness checklist from the counts and the quality report. Plain functions: no storage, no UI.</summary>
public static class Readiness
{
    public const string ApprovedSft = "Approved SFT examples";
    public const string CategoriesCovered = "Every category has SFT examples";
    public const string ResolvedPairs = "Resolved preference pairs";
    public const string AnnotatorAgreement = "Agreement between annotators (α)";
    public const string PositionBias = "No severe position bias";

    public static string Title(ReadinessItem item) => item switch
    {
        ReadinessItem.ApprovedSft => ApprovedSft,
        ReadinessItem.CategoriesCovered => CategoriesCovered,
        ReadinessItem.ResolvedPairs => ResolvedPairs,
        ReadinessItem.AnnotatorAgreement => AnnotatorAgreement,
        ReadinessItem.PositionBias => PositionBias,
        _ => throw new ArgumentOutOfRangeException(nameof(item), item, null),
    };

    public static string Template(ReadinessFinding finding) => finding switch
    {
        ReadinessFinding.ApprovedOfNeeded => "{0:N0} approved of {1:N0} needed",
        ReadinessFinding.CategoriesWithApproved => "{0:N0} of {1:N0} categories have approved examples",
        ReadinessFinding.ResolvedOfNeeded => "{0:N0} resolved of {1:N0} needed",
        ReadinessFinding.AlphaNotMeasurable => "not measurable yet: {0:N0} items judged twice (needs ≥ {1:F2})",
        ReadinessFinding.AlphaOverItems => "α = {0:F3} over {1:N0} items (needs ≥ {2:F2})",
        ReadinessFinding.LeftShare => "{0:0.0%} of {1:N0} A/B verdicts for the left response (95% CI {2:0.0%}–{3:0.0%})",
        _ => throw new ArgumentOutOfRangeException(nameof(finding), finding, null),
    };

    /// <summary>
    /// Green: the bar is cleared. Amber: half way, or cleared by the estimate but not by its 95% interval, or not
    /// measurable yet. Red: far from the bar.
    /// </summary>
    public static IReadOnlyList<ReadinessCheck> Evaluate(WorkspaceStats stats, QualityReport quality, ReadinessOptions options) =>
    [
        Count(ReadinessItem.ApprovedSft, ReadinessFinding.ApprovedOfNeeded, stats.Sft.Approved, options.MinimumApprovedSft),
        Categories(stats),
        Count(ReadinessItem.ResolvedPairs, ReadinessFinding.ResolvedOfNeeded, stats.Pairs.Resolved, options.MinimumResolvedPairs),
        Alpha(quality.Agreement.KrippendorffAlpha, options.MinimumAlpha),
        Position(quality.Position, options.SeverePositionBias),
    ];

    /// <summary>True when no check is red.</summary>
    public static bool IsReady(IEnumerable<ReadinessCheck> checks) => checks.All(c => c.Level != ReadinessLevel.Red);

    private static ReadinessCheck Count(ReadinessItem item, ReadinessFinding finding, int count, int needed) => new(item,
        count >= needed ? ReadinessLevel.Green : 2 * count >= needed ? ReadinessLevel.Amber : ReadinessLevel.Red,
        finding, [count, needed]);

    private static ReadinessCheck Categories(WorkspaceStats stats)
    {
        var categories = stats.Categories.Where(c => c.Name is not null).ToList();
        var withApproved = categories.Count(c => c.Sft.Approved > 0);
        var withNone = categories.Count(c => c.Sft.Total - c.Sft.Rejected == 0);
        var level = withApproved == categories.Count ? ReadinessLevel.Green : withNone > 0 ? ReadinessLevel.Red : ReadinessLevel.Amber;
        return new ReadinessCheck(ReadinessItem.CategoriesCovered, level, ReadinessFinding.CategoriesWithApproved, [withApproved, categories.Count]);
    }

    private static ReadinessCheck Alpha(AgreementEstimate alpha, double needed)
    {
        if (alpha.Value is not { } value)
            return new ReadinessCheck(ReadinessItem.AnnotatorAgreement, ReadinessLevel.Amber, ReadinessFinding.AlphaNotMeasurable, [alpha.Items, needed]);
        var level = value < needed ? ReadinessLevel.Red
            : alpha.Interval95 is { } ci && ci.Low < needed ? ReadinessLevel.Amber
            : ReadinessLevel.Green;
        return new ReadinessCheck(ReadinessItem.AnnotatorAgreement, level, ReadinessFinding.AlphaOverItems, [value, alpha.Items, needed]);
    }

    private static ReadinessCheck Position(PositionBias position, double severe)
    {
        var level = !position.Flagged ? ReadinessLevel.Green
            : Math.Abs(position.LeftShare - 0.5) >= severe ? ReadinessLevel.Red
            : ReadinessLevel.Amber;
        return new ReadinessCheck(ReadinessItem.PositionBias, level, ReadinessFinding.LeftShare,
            [position.LeftShare, position.Verdicts, position.Interval.Low, position.Interval.High]);
    }
}
