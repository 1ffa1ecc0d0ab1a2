using System.Globalization;

namespace AnnotateDpo.Core.Statistics;

public enum AdviceArea { Sft, Pairs, Annotators, Bias, Curation }

/// <param name="Priority">The weight of the kind of gap times its severity (0–1); higher comes first.</param>
public sealed record Advice(AdviceArea Area, double Priority, string Text);

/// <summary>
/// Where the next hour of annotation pays most, in plain language, ranked. SFT gaps weigh most: DPO can only sharpen
/// what SFT taught (see DEVELOPERS.md). Plain functions: no storage, no UI.
/// </summary>
public static class InvestmentAdvice
{
    /// <summary>Raw agreement of an annotator pair below this is worth a calibration session.</summary>
    public const double AgreementTarget = 0.9;
    /// <summary>A chosen-is-longer share above this invites DPO to learn length instead of quality.</summary>
    public const double LongerChosenLimit = 0.65;

    public static IReadOnlyList<Advice> Rank(WorkspaceStats stats, QualityReport quality, AnnotatorReport annotators, ReadinessOptions options)
    {
        var advice = new List<Advice>();
        if (stats.Sft.Approved < options.MinimumApprovedSft)
            advice.Add(new(AdviceArea.Sft, 1.0 * Shortfall(stats.Sft.Approved, options.MinimumApprovedSft),
                $"the workspace has {stats.Sft.Approved} approved SFT examples; the guideline is {options.MinimumApprovedSft}–200"));
        foreach (var category in stats.Categories.Where(c => c.Name is not null))
        {
            if (category.Sft.Approved < category.SftTarget)
                advice.Add(new(AdviceArea.Sft, 1.0 * Shortfall(category.Sft.Approved, category.SftTarget),
                    $"category '{category.Name}' has {category.Sft.Approved} of {category.SftTarget} approved SFT examples"));
            if (category.Pairs.Resolved < category.PairTarget)
                advice.Add(new(AdviceArea.Pairs, 0.6 * Shortfall(category.Pairs.Resolved, category.PairTarget),
                    $"category '{category.Name}' has {category.Pairs.Resolved} of {category.PairTarget} resolved pairs"));
        }
        if (stats.Sft.Submitted > 0)
            advice.Add(new(AdviceArea.Curation, 0.5 * Math.Min(1, stats.Sft.Submitted / 10.0),
                $"{Many(stats.Sft.Submitted, "submitted SFT example")} awaiting review"));
        if (stats.Pairs.Disagreements > 0)
            advice.Add(new(AdviceArea.Curation, 0.4 * Share(stats.Pairs.Disagreements, stats.Pairs.Total, 0.1),
                $"{Many(stats.Pairs.Disagreements, "pair")} in disagreement, awaiting a final verdict"));
        if (stats.Pairs.Unjudged > 0)
            advice.Add(new(AdviceArea.Pairs, 0.3 * Share(stats.Pairs.Unjudged, stats.Pairs.Total, 0.1),
                $"{Many(stats.Pairs.Unjudged, "pair")} without any judgment yet"));

        foreach (var pair in annotators.Pairs)
        {
            if (pair.PercentAgreement.Value is { } agreement && agreement < AgreementTarget)
                advice.Add(new(AdviceArea.Annotators, 0.8 * Math.Min(1, (AgreementTarget - agreement) / 0.2),
                    $"annotators {pair.First} and {pair.Second} agree on only {Percent(agreement)} of {pair.Items} shared pairs"));
        }
        foreach (var annotator in annotators.Annotators.Where(a => a.Position.Flagged))
            advice.Add(new(AdviceArea.Bias, 0.6 * Math.Min(1, Math.Abs(annotator.Position.LeftShare - 0.5) / 0.1),
                $"{annotator.Annotator} chose the left response in {Percent(annotator.Position.LeftShare)} of {annotator.Position.Verdicts} verdicts"));
        if (quality.Length.Pairs > 0 && quality.Length.LongerChosenShare > LongerChosenLimit)
            advice.Add(new(AdviceArea.Bias, 0.5 * Math.Min(1, (quality.Length.LongerChosenShare - 0.5) / 0.3),
                $"the chosen response is the longer one in {Percent(quality.Length.LongerChosenShare)} of resolved pairs; add pairs where the shorter answer wins"));
        if (quality.NearIdenticalPairs > 0)
            advice.Add(new(AdviceArea.Bias, 0.3 * Share(quality.NearIdenticalPairs, quality.Pairs, 0.05),
                $"{Many(quality.NearIdenticalPairs, "pair")} with near-identical responses; edit or drop them"));

        return advice.OrderByDescending(a => a.Priority).ThenBy(a => a.Text, StringComparer.Ordinal).ToList();
    }

    private static double Shortfall(int have, int target) => target <= 0 ? 0 : (double)(target - have) / target;

    /// <summary>The share count / total relative to the share where it counts in full, at most 1.</summary>
    private static double Share(int count, int total, double full) => total == 0 ? 0 : Math.Min(1, count / (full * total));

    private static string Many(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static string Percent(double share) => share.ToString("0%", CultureInfo.InvariantCulture);
}
