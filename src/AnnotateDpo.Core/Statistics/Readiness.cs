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

/// <param name="Detail">The number behind the level, in words.</param>
public sealed record ReadinessCheck(string Name, ReadinessLevel Level, string Detail);

/// <summary>A training-readiness checklist from the counts and the quality report. Plain functions: no storage, no UI.</summary>
public static class Readiness
{
    public const string ApprovedSft = "Approved SFT examples";
    public const string CategoriesCovered = "Every category has SFT examples";
    public const string ResolvedPairs = "Resolved preference pairs";
    public const string AnnotatorAgreement = "Agreement between annotators (α)";
    public const string PositionBias = "No severe position bias";

    /// <summary>
    /// Green: the bar is cleared. Amber: half way, or cleared by the estimate but not by its 95% interval, or not
    /// measurable yet. Red: far from the bar.
    /// </summary>
    public static IReadOnlyList<ReadinessCheck> Evaluate(WorkspaceStats stats, QualityReport quality, ReadinessOptions options) =>
    [
        Count(ApprovedSft, stats.Sft.Approved, options.MinimumApprovedSft, "approved"),
        Categories(stats),
        Count(ResolvedPairs, stats.Pairs.Resolved, options.MinimumResolvedPairs, "resolved"),
        Alpha(quality.Agreement.KrippendorffAlpha, options.MinimumAlpha),
        Position(quality.Position, options.SeverePositionBias),
    ];

    /// <summary>True when no check is red.</summary>
    public static bool IsReady(IEnumerable<ReadinessCheck> checks) => checks.All(c => c.Level != ReadinessLevel.Red);

    private static ReadinessCheck Count(string name, int count, int needed, string what) => new(name,
        count >= needed ? ReadinessLevel.Green : 2 * count >= needed ? ReadinessLevel.Amber : ReadinessLevel.Red,
        $"{count} {what} of {needed} needed");

    private static ReadinessCheck Categories(WorkspaceStats stats)
    {
        var categories = stats.Categories.Where(c => c.Name is not null).ToList();
        var withApproved = categories.Count(c => c.Sft.Approved > 0);
        var withNone = categories.Count(c => c.Sft.Total - c.Sft.Rejected == 0);
        var level = withApproved == categories.Count ? ReadinessLevel.Green : withNone > 0 ? ReadinessLevel.Red : ReadinessLevel.Amber;
        return new ReadinessCheck(CategoriesCovered, level, $"{withApproved} of {categories.Count} categories have approved examples");
    }

    private static ReadinessCheck Alpha(AgreementEstimate alpha, double needed)
    {
        var bar = needed.ToString("F2", CultureInfo.InvariantCulture);
        if (alpha.Value is not { } value)
            return new ReadinessCheck(AnnotatorAgreement, ReadinessLevel.Amber, $"not measurable yet: {alpha.Items} items judged twice (needs ≥ {bar})");
        var level = value < needed ? ReadinessLevel.Red
            : alpha.Interval95 is { } ci && ci.Low < needed ? ReadinessLevel.Amber
            : ReadinessLevel.Green;
        return new ReadinessCheck(AnnotatorAgreement, level,
            $"α = {value.ToString("F3", CultureInfo.InvariantCulture)} over {alpha.Items} items (needs ≥ {bar})");
    }

    private static ReadinessCheck Position(PositionBias position, double severe)
    {
        var level = !position.Flagged ? ReadinessLevel.Green
            : Math.Abs(position.LeftShare - 0.5) >= severe ? ReadinessLevel.Red
            : ReadinessLevel.Amber;
        return new ReadinessCheck(PositionBias, level,
            $"{Percent(position.LeftShare)} of {position.Verdicts} A/B verdicts for the left response " +
            $"(95% CI {Percent(position.Interval.Low)}–{Percent(position.Interval.High)})");
    }

    private static string Percent(double share) => share.ToString("0.0%", CultureInfo.InvariantCulture);
}
