using System.Collections.Concurrent;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Statistics;

/// <param name="Items">How many items the estimate rests on.</param>
public sealed record AgreementEstimate(double? Value, int Items, Interval? Interval95);

public sealed record AnnotatorPairKappa(string First, string Second, AgreementEstimate Kappa);

/// <param name="ExcludedBothBad">Latest verdicts of "both bad", left out of agreement (they judge neither response).</param>
public sealed record AgreementReport(
    int Annotators,
    AgreementEstimate PercentAgreement,
    AgreementEstimate KrippendorffAlpha,
    IReadOnlyList<AnnotatorPairKappa> CohensKappa,
    int ExcludedBothBad);

/// <param name="NearIdenticalPairs">Pairs whose two responses differ by a normalised edit distance below 0.1.</param>
public sealed record QualityReport(
    string Workspace,
    AgreementReport Agreement,
    PositionBias Position,
    LengthBias Length,
    int NearIdenticalPairs,
    int Pairs);

/// <summary>Agreement between annotators and the biases of the data, from each annotator's latest verdicts.</summary>
/// <param name="tokenCounter">Counts tokens for the length bias in tokens; defaults to none, and the figure is then null.</param>
public sealed class QualityReportService(IDbContextFactory<AnnotateDbContext> dbFactory, ITokenCounter? tokenCounter = null)
{
    /// <summary>Cohen's κ is reported for annotator pairs who share at least this many items.</summary>
    public const int MinimumSharedItemsForKappa = 10;

    public async Task<QualityReport> GetAsync(string workspaceName, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await GetAsync(db, await StatisticsInput.LoadAsync(db, workspaceName, cancellationToken), cancellationToken);
    }

    internal async Task<QualityReport> GetAsync(AnnotateDbContext db, StatisticsInput input, CancellationToken cancellationToken)
    {
        var latest = input.Independent;
        // The pairs' κ bootstraps run beside α's, on another core.
        var pairwise = Task.Run(() => input.Pairwise, cancellationToken);
        var ratings = latest.Where(j => j.Verdict != Verdict.BothBad).Select(j => (j.PairId, j.AnnotatorId, j.Verdict)).ToList();

        // (chosen, rejected) lengths of the resolved pairs; the database counted the characters.
        var resolved = input.Pairs.Where(p => input.Resolutions[p.Id].IsResolved)
            .Select(p => (Pair: p, AChosen: input.Resolutions[p.Id].Outcome == PairOutcome.AChosen))
            .ToList();
        var length = Bias.Length(resolved.Select(r => r.AChosen ? (r.Pair.LengthA, r.Pair.LengthB) : (r.Pair.LengthB, r.Pair.LengthA)));
        var facts = await TextFactsAsync(db, input, cancellationToken);
        if (tokenCounter is not null && length.Pairs > 0)
        {
            var difference = resolved.Sum(r => (double)facts[r.Pair.Id].TokenDifference!.Value * (r.AChosen ? 1 : -1));
            length = length with { MeanTokenDifference = difference / length.Pairs };
        }

        var (annotators, percent, alpha) = Agree(ratings);
        var kappas = (await pairwise).Select(p => new AnnotatorPairKappa(p.First, p.Second, p.CohensKappa)).ToList();
        return new QualityReport(
            input.Workspace.Name,
            new AgreementReport(annotators, percent, alpha, kappas, latest.Count(j => j.Verdict == Verdict.BothBad)),
            Bias.Position(latest.Select(j => (j.ShownOrder, j.Verdict))),
            length,
            input.Pairs.Count(p => facts[p.Id].NearIdentical),
            input.Pairs.Count);
    }

    /// <summary>What the two texts of a pair say: whether they are nearly identical, and tokens(A) − tokens(B) when counted.</summary>
    private sealed record TextFacts(bool NearIdentical, int? TokenDifference);

    /// <summary>
    /// The text facts of each pair, by pair id. A pair's texts are never updated (an edit makes a new pair) and ids are
    /// never reused, so facts once computed stay true; only new pairs' texts are read, and their facts are computed on
    /// every core (the tokenizer is the slowest part of the whole report).
    /// </summary>
    private readonly ConcurrentDictionary<long, TextFacts> _facts = new();

    private async Task<ConcurrentDictionary<long, TextFacts>> TextFactsAsync(AnnotateDbContext db, StatisticsInput input, CancellationToken cancellationToken)
    {
        var missing = input.Pairs.Select(p => p.Id).Where(id => !_facts.ContainsKey(id)).ToHashSet();
        if (missing.Count == 0) return _facts;
        var from = missing.Min();
        var texts = await db.PreferencePairs.AsNoTracking().Where(p => p.WorkspaceId == input.Workspace.Id && p.Id >= from)
            .Select(p => new { p.Id, A = p.ResponseA.Text, B = p.ResponseB.Text })
            .ToListAsync(cancellationToken);
        Parallel.ForEach(texts.Where(p => missing.Contains(p.Id)), new ParallelOptions { CancellationToken = cancellationToken }, pair =>
            _facts[pair.Id] = new TextFacts(Bias.IsNearIdentical(pair.A, pair.B),
                tokenCounter is null ? null : tokenCounter.Count(pair.A) - tokenCounter.Count(pair.B)));
        return _facts;
    }

    /// <summary>The number of annotators, raw agreement and α over the items rated at least twice.</summary>
    private static (int Annotators, AgreementEstimate Percent, AgreementEstimate Alpha) Agree(
        IReadOnlyList<(long Item, string Annotator, Verdict Verdict)> ratings)
    {
        var items = ratings.GroupBy(r => r.Item).Where(g => g.Count() >= 2)
            .Select(item => item.Select(r => (int)r.Verdict).ToArray()).ToList();
        var (percent, alpha) = CodedAgreement.PercentAndAlpha(items, CodedAgreement.VerdictLabels);
        return (ratings.Select(r => r.Annotator).Distinct().Count(), percent, alpha);
    }
}
