using AnnotateDpo.Core.Statistics;
using AnnotateDpo.Core.Text;

namespace AnnotateDpo.Core.Evaluation;

/// <summary>One blind verdict, mapped back to models: <see cref="First"/> and <see cref="Second"/> as shown left and right.</summary>
public sealed record JudgedComparison(string First, string Second, ComparisonVerdict Verdict, string? Category);

/// <summary>
/// Head to head of <see cref="Model"/> against <see cref="Opponent"/>: its wins, ties and losses over
/// <see cref="Comparisons"/> verdicts, each share with a Wilson 95% interval.
/// </summary>
public sealed record HeadToHead(string Model, string Opponent, int Wins, int Ties, int Losses)
{
    public int Comparisons => Wins + Ties + Losses;
    public double? WinRate => Comparisons == 0 ? null : (double)Wins / Comparisons;
    public Interval WinInterval => Intervals.Wilson(Wins, Comparisons);
    public Interval TieInterval => Intervals.Wilson(Ties, Comparisons);
    public Interval LossInterval => Intervals.Wilson(Losses, Comparisons);
}

/// <summary>Figures computed from a model's answers alone, and what its training run measured on the held-out split.</summary>
/// <param name="MeanCharacters">Mean answer length in characters (text elements).</param>
/// <param name="MeanTokens">Mean answer length in the model's tokens.</param>
/// <param name="Distinct2">distinct-2 over all the model's answers: 1 means no word (or CJK character) bigram repeats.</param>
public sealed record AutomaticMetrics(string Model, int Answers, double? MeanCharacters, double? MeanTokens, double? Distinct2,
    double? EvalSftLoss, double? EvalRewardAccuracy);

/// <summary>
/// The results of an evaluation: every pair of models head to head, overall and per category; a Bradley–Terry ranking
/// with bootstrap intervals when more than two models take part; and the automatic metrics beside them.
/// </summary>
public sealed record EvaluationReport(
    IReadOnlyList<string> Models,
    IReadOnlyList<HeadToHead> Overall,
    IReadOnlyDictionary<string, IReadOnlyList<HeadToHead>> PerCategory,
    IReadOnlyList<BradleyTerryRating>? Ranking,
    IReadOnlyList<AutomaticMetrics> Metrics,
    int Judgments)
{
    /// <summary>The category name used for prompts without one.</summary>
    public const string Uncategorised = "";

    public static EvaluationReport Compute(IReadOnlyList<string> models, IReadOnlyList<JudgedComparison> judgments,
        IReadOnlyList<AutomaticMetrics> metrics, int bootstrapResamples = 1000)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(judgments);
        var perCategory = judgments.GroupBy(j => j.Category ?? Uncategorised)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => HeadToHeads(models, g.ToList()), StringComparer.Ordinal);
        IReadOnlyList<BradleyTerryRating>? ranking = models.Count > 2
            ? BradleyTerry.Rank(models, judgments.Select(ToComparison).ToList(), bootstrapResamples)
            : null;
        return new EvaluationReport(models, HeadToHeads(models, judgments), perCategory, ranking, metrics, judgments.Count);
    }

    /// <summary>Each unordered pair of models once, the earlier-listed model first.</summary>
    public static IReadOnlyList<HeadToHead> HeadToHeads(IReadOnlyList<string> models, IReadOnlyList<JudgedComparison> judgments)
    {
        var result = new List<HeadToHead>();
        for (var i = 0; i < models.Count; i++)
        {
            for (var j = i + 1; j < models.Count; j++)
            {
                var (model, opponent) = (models[i], models[j]);
                int wins = 0, ties = 0, losses = 0;
                foreach (var c in judgments)
                {
                    var forward = c.First == model && c.Second == opponent;
                    if (!forward && !(c.First == opponent && c.Second == model))
                        continue;
                    switch (c.Verdict)
                    {
                        case ComparisonVerdict.Tie: ties++; break;
                        case ComparisonVerdict.Left when forward: wins++; break;
                        case ComparisonVerdict.Right when !forward: wins++; break;
                        default: losses++; break;
                    }
                }
                result.Add(new HeadToHead(model, opponent, wins, ties, losses));
            }
        }
        return result;
    }

    public static AutomaticMetrics MetricsOf(string model, IReadOnlyList<(string Text, int Tokens)> answers, RunEvalFigures figures) =>
        new(model, answers.Count,
            answers.Count == 0 ? null : answers.Average(a => (double)new System.Globalization.StringInfo(a.Text).LengthInTextElements),
            answers.Count == 0 ? null : answers.Average(a => (double)a.Tokens),
            DistinctN.Ratio(answers.Select(a => a.Text), 2),
            figures.EvalSftLoss, figures.EvalRewardAccuracy);

    private static Comparison ToComparison(JudgedComparison c) => new(c.First, c.Second, c.Verdict switch
    {
        ComparisonVerdict.Left => ComparisonOutcome.FirstWins,
        ComparisonVerdict.Right => ComparisonOutcome.SecondWins,
        _ => ComparisonOutcome.Tie,
    });
}
