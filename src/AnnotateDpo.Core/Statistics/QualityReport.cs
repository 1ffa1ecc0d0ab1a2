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
        var workspace = await WorkspaceLookup.GetAsync(db, workspaceName, cancellationToken);

        var latest = await PairResolutionQuery.LatestIndependentVerdicts(db, workspace.Id).ToListAsync(cancellationToken);
        var ratings = latest.Where(j => j.Verdict != Verdict.BothBad).Select(j => (j.PairId, j.AnnotatorId, j.Verdict)).ToList();

        var resolutions = await PairResolutionQuery.ResolveWorkspaceAsync(db, workspace.Id, cancellationToken);
        // Only the lengths travel (the database counts characters), not the texts.
        var lengths = await db.PreferencePairs.AsNoTracking().Where(p => p.WorkspaceId == workspace.Id)
            .Select(p => new { p.Id, A = p.ResponseA.Text.Length, B = p.ResponseB.Text.Length })
            .ToListAsync(cancellationToken);
        var resolved = lengths.Where(p => resolutions[p.Id].IsResolved)
            .Select(p => resolutions[p.Id].Outcome == PairOutcome.AChosen ? (p.A, p.B) : (p.B, p.A));
        var nearIdentical = await NearIdenticalAsync(db, workspace.Id, lengths.Select(p => p.Id).ToList(), cancellationToken);

        var length = Bias.Length(resolved);
        if (tokenCounter is not null && length.Pairs > 0)
        {
            var chosenA = resolutions.Where(r => r.Value.IsResolved).ToDictionary(r => r.Key, r => r.Value.Outcome == PairOutcome.AChosen);
            double difference = 0;
            var texts = db.PreferencePairs.AsNoTracking().Where(p => p.WorkspaceId == workspace.Id)
                .Select(p => new { p.Id, A = p.ResponseA.Text, B = p.ResponseB.Text }).AsAsyncEnumerable();
            await foreach (var pair in texts.WithCancellation(cancellationToken))
                if (chosenA.TryGetValue(pair.Id, out var aChosen))
                    difference += (tokenCounter.Count(pair.A) - tokenCounter.Count(pair.B)) * (aChosen ? 1 : -1);
            length = length with { MeanTokenDifference = difference / length.Pairs };
        }

        return new QualityReport(
            workspace.Name,
            Agree(ratings, latest.Count(j => j.Verdict == Verdict.BothBad)),
            Bias.Position(latest.Select(j => (j.ShownOrder, j.Verdict))),
            length,
            nearIdentical,
            lengths.Count);
    }

    /// <summary>
    /// Whether each pair's responses are nearly identical, by pair id. A pair's texts are never updated (an edit makes a
    /// new pair) and ids are never reused, so a flag once computed stays true; only new pairs' texts are read.
    /// </summary>
    private readonly ConcurrentDictionary<long, bool> _nearIdentical = new();

    private async Task<int> NearIdenticalAsync(AnnotateDbContext db, long workspaceId, List<long> pairIds, CancellationToken cancellationToken)
    {
        var missing = pairIds.Where(id => !_nearIdentical.ContainsKey(id)).ToHashSet();
        if (missing.Count > 0)
        {
            var from = missing.Min();
            var texts = db.PreferencePairs.AsNoTracking().Where(p => p.WorkspaceId == workspaceId && p.Id >= from)
                .Select(p => new { p.Id, A = p.ResponseA.Text, B = p.ResponseB.Text })
                .AsAsyncEnumerable();
            await foreach (var pair in texts.WithCancellation(cancellationToken))
                if (missing.Contains(pair.Id)) _nearIdentical[pair.Id] = Bias.IsNearIdentical(pair.A, pair.B);
        }
        return pairIds.Count(id => _nearIdentical.GetValueOrDefault(id));
    }

    private static AgreementReport Agree(IReadOnlyList<(long Item, string Annotator, Verdict Verdict)> ratings, int excludedBothBad)
    {
        var items = ratings.GroupBy(r => r.Item).Where(g => g.Count() >= 2).Select(g => g.ToList()).ToList();
        var (percent, alpha) = CodedAgreement.PercentAndAlpha(
            items.Select(item => item.Select(r => (int)r.Verdict).ToArray()).ToList(), CodedAgreement.VerdictLabels);
        var annotators = ratings.Select(r => r.Annotator).Distinct().Order(StringComparer.Ordinal).ToList();
        var kappas = CodedAgreement.ByAnnotatorPair(items.Select(item => item.Select(r => (r.Annotator, (int)r.Verdict))))
            .Where(p => p.Value.First.Count >= MinimumSharedItemsForKappa)
            .OrderBy(p => p.Key.First, StringComparer.Ordinal).ThenBy(p => p.Key.Second, StringComparer.Ordinal)
            .Select(p => new AnnotatorPairKappa(p.Key.First, p.Key.Second,
                CodedAgreement.TwoAnnotators(p.Value.First, p.Value.Second, CodedAgreement.VerdictLabels).Kappa))
            .ToList();
        return new AgreementReport(annotators.Count, percent, alpha, kappas, excludedBothBad);
    }
}
