using System.Globalization;

namespace AnnotateDpo.Core.Statistics;

public enum AdviceArea { Sft, Pairs, Annotators, Bias, Curation }

/// <summary>What a piece of advice says; <see cref="InvestmentAdvice.Template"/> is its English sentence.</summary>
public enum AdviceKind
{
    /// <summary>Arguments: approved SFT examples (int), the guideline's minimum (int).</summary>
    WorkspaceSft,
    /// <summary>Arguments: category (string), approved SFT examples (int), target (int).</summary>
    CategorySft,
    /// <summary>Arguments: category (string), resolved pairs (int), target (int).</summary>
    CategoryPairs,
    /// <summary>Arguments: submitted SFT examples (int).</summary>
    AwaitingReview,
    /// <summary>Arguments: pairs in disagreement (int).</summary>
    Disagreements,
    /// <summary>Arguments: pairs without a judgment (int).</summary>
    Unjudged,
    /// <summary>Arguments: first annotator (string), second annotator (string), raw agreement (double), shared pairs (int).</summary>
    AnnotatorPairAgreement,
    /// <summary>Arguments: annotator (string), left share (double), A/B verdicts (int).</summary>
    AnnotatorPosition,
    /// <summary>Arguments: share of resolved pairs whose chosen response is the longer one (double).</summary>
    LongerChosen,
    /// <summary>Arguments: pairs with near-identical responses (int).</summary>
    NearIdentical,
}

/// <summary>
/// One piece of advice as facts: its kind and numbers, which a reader's language formats (the web app through its
/// resources, keyed by <see cref="Template"/>).
/// </summary>
/// <param name="Priority">The weight of the kind of gap times its severity (0–1); higher comes first.</param>
public sealed record Advice(AdviceArea Area, double Priority, AdviceKind Kind, IReadOnlyList<object> Arguments)
{
    /// <summary>The English composite format string, the arguments in the order <see cref="AdviceKind"/> lists.</summary>
    public string Template => InvestmentAdvice.Template(Kind, Arguments);

    /// <summary>The advice in English, numbers in the invariant culture (the CLI, the CSV export, the ranking's tie-break).</summary>
    public string Text => string.Format(CultureInfo.InvariantCulture, Template, [.. Arguments]);
}

/// <summary>
/// Where the next hour of annotation pays most, ranked. SFT gaps weigh most: DPO can only sharpen what SFT taught
/// (see DEVELOPERS.md). Plain functions: no storage, no UI.
/// </summary>
public static class InvestmentAdvice
{
    /// <summary>Raw agreement of an annotator pair below this is worth a calibration session.</summary>
    public const double AgreementTarget = 0.9;
    /// <summary>A chosen-is-longer share above this invites DPO to learn length instead of quality.</summary>
    public const double LongerChosenLimit = 0.65;

    /// <summary>The English sentence of a kind; the counting kinds have a singular form for a count of one.</summary>
    public static string Template(AdviceKind kind, IReadOnlyList<object> arguments)
    {
        var one = arguments is [int count, ..] && count == 1;
        return kind switch
        {
            AdviceKind.WorkspaceSft => "the workspace has {0:N0} approved SFT examples; the guideline is {1:N0}–200",
            AdviceKind.CategorySft => "category '{0}' has {1:N0} of {2:N0} approved SFT examples",
            AdviceKind.CategoryPairs => "category '{0}' has {1:N0} of {2:N0} resolved pairs",
            AdviceKind.AwaitingReview => one ? "1 submitted SFT example awaiting review" : "{0:N0} submitted SFT examples awaiting review",
            AdviceKind.Disagreements => one ? "1 pair in disagreement, awaiting a final verdict" : "{0:N0} pairs in disagreement, awaiting a final verdict",
            AdviceKind.Unjudged => one ? "1 pair without any judgment yet" : "{0:N0} pairs without any judgment yet",
            AdviceKind.AnnotatorPairAgreement => "annotators {0} and {1} agree on only {2:0%} of {3:N0} shared pairs",
            AdviceKind.AnnotatorPosition => "{0} chose the left response in {1:0%} of {2:N0} verdicts",
            AdviceKind.LongerChosen => "the chosen response is the longer one in {0:0%} of resolved pairs; add pairs where the shorter answer wins",
            AdviceKind.NearIdentical => one ? "1 pair with near-identical responses; edit or drop them" : "{0:N0} pairs with near-identical responses; edit or drop them",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    public static IReadOnlyList<Advice> Rank(WorkspaceStats stats, QualityReport quality, AnnotatorReport annotators, ReadinessOptions options)
    {
        var advice = new List<Advice>();
        if (stats.Sft.Approved < options.MinimumApprovedSft)
            advice.Add(new(AdviceArea.Sft, 1.0 * Shortfall(stats.Sft.Approved, options.MinimumApprovedSft),
                AdviceKind.WorkspaceSft, [stats.Sft.Approved, options.MinimumApprovedSft]));
        foreach (var category in stats.Categories.Where(c => c.Name is not null))
        {
            if (category.Sft.Approved < category.SftTarget)
                advice.Add(new(AdviceArea.Sft, 1.0 * Shortfall(category.Sft.Approved, category.SftTarget),
                    AdviceKind.CategorySft, [category.Name!, category.Sft.Approved, category.SftTarget]));
            if (category.Pairs.Resolved < category.PairTarget)
                advice.Add(new(AdviceArea.Pairs, 0.6 * Shortfall(category.Pairs.Resolved, category.PairTarget),
                    AdviceKind.CategoryPairs, [category.Name!, category.Pairs.Resolved, category.PairTarget]));
        }
        if (stats.Sft.Submitted > 0)
            advice.Add(new(AdviceArea.Curation, 0.5 * Math.Min(1, stats.Sft.Submitted / 10.0), AdviceKind.AwaitingReview, [stats.Sft.Submitted]));
        if (stats.Pairs.Disagreements > 0)
            advice.Add(new(AdviceArea.Curation, 0.4 * Share(stats.Pairs.Disagreements, stats.Pairs.Total, 0.1),
                AdviceKind.Disagreements, [stats.Pairs.Disagreements]));
        if (stats.Pairs.Unjudged > 0)
            advice.Add(new(AdviceArea.Pairs, 0.3 * Share(stats.Pairs.Unjudged, stats.Pairs.Total, 0.1), AdviceKind.Unjudged, [stats.Pairs.Unjudged]));

        foreach (var pair in annotators.Pairs)
        {
            if (pair.PercentAgreement.Value is { } agreement && agreement < AgreementTarget)
                advice.Add(new(AdviceArea.Annotators, 0.8 * Math.Min(1, (AgreementTarget - agreement) / 0.2),
                    AdviceKind.AnnotatorPairAgreement, [pair.First, pair.Second, agreement, pair.Items]));
        }
        foreach (var annotator in annotators.Annotators.Where(a => a.Position.Flagged))
            advice.Add(new(AdviceArea.Bias, 0.6 * Math.Min(1, Math.Abs(annotator.Position.LeftShare - 0.5) / 0.1),
                AdviceKind.AnnotatorPosition, [annotator.Annotator, annotator.Position.LeftShare, annotator.Position.Verdicts]));
        if (quality.Length.Pairs > 0 && quality.Length.LongerChosenShare > LongerChosenLimit)
            advice.Add(new(AdviceArea.Bias, 0.5 * Math.Min(1, (quality.Length.LongerChosenShare - 0.5) / 0.3),
                AdviceKind.LongerChosen, [quality.Length.LongerChosenShare]));
        if (quality.NearIdenticalPairs > 0)
            advice.Add(new(AdviceArea.Bias, 0.3 * Share(quality.NearIdenticalPairs, quality.Pairs, 0.05),
                AdviceKind.NearIdentical, [quality.NearIdenticalPairs]));

        return advice.OrderByDescending(a => a.Priority).ThenBy(a => a.Text, StringComparer.Ordinal).ToList();
    }

    private static double Shortfall(int have, int target) => target <= 0 ? 0 : (double)(target - have) / target;

    /// <summary>The share count / total relative to the share where it counts in full, at most 1.</summary>
    private static double Share(int count, int total, double full) => total == 0 ? 0 : Math.Min(1, count / (full * total));
}
