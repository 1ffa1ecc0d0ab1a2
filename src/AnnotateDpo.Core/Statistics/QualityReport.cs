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
        var (length, nearIdentical) = await PairTextFactsStore.SummarizeAsync(db, input.Workspace.Id, tokenCounter, cancellationToken);
        var (annotators, percent, alpha) = Agree(latest);
        var kappas = (await pairwise).Select(p => new AnnotatorPairKappa(p.First, p.Second, p.CohensKappa)).ToList();
        return new QualityReport(
            input.Workspace.Name,
            new AgreementReport(annotators, percent, alpha, kappas,
                latest.Sum(set => set.Votes.Count(v => v.Verdict == Verdict.BothBad) * set.Pairs)),
            Bias.Position(latest.SelectMany(set => set.EachVote()).Select(v => (v.Order, v.Verdict))),
            length,
            nearIdentical,
            input.Pairs.Sum(p => p.Pairs));
    }

    /// <summary>The number of annotators, raw agreement and α over the items rated at least twice (both-bad left out).</summary>
    private static (int Annotators, AgreementEstimate Percent, AgreementEstimate Alpha) Agree(IReadOnlyList<VoteSet> voteSets)
    {
        var rated = voteSets.Select(set => (Votes: set.Votes.Where(v => v.Verdict != Verdict.BothBad).ToList(), set.Pairs)).ToList();
        var items = rated.Where(set => set.Votes.Count >= 2)
            .Select(set => ((IReadOnlyList<int>)set.Votes.Select(v => (int)v.Verdict).ToList(), set.Pairs)).ToList();
        var (percent, alpha) = CodedAgreement.PercentAndAlpha(items, CodedAgreement.VerdictLabels);
        return (rated.SelectMany(set => set.Votes).Select(v => v.Annotator).Distinct().Count(), percent, alpha);
    }
}
