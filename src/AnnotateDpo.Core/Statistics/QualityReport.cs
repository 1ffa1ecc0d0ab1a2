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

        var facts = await PairTextFactsStore.LoadAsync(db, input.Workspace.Id, tokenCounter, cancellationToken);
        // (chosen, rejected) lengths of the resolved pairs.
        var resolved = input.Pairs.Where(p => input.Resolutions[p.Id].IsResolved)
            .Select(p => (Facts: facts[p.Id], AChosen: input.Resolutions[p.Id].Outcome == PairOutcome.AChosen))
            .ToList();
        var length = Bias.Length(resolved.Select(r => r.AChosen ? (r.Facts.CharactersA, r.Facts.CharactersB) : (r.Facts.CharactersB, r.Facts.CharactersA)));
        if (tokenCounter is not null && length.Pairs > 0)
        {
            var difference = resolved.Sum(r => (double)(r.Facts.TokensA!.Value - r.Facts.TokensB!.Value) * (r.AChosen ? 1 : -1));
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
