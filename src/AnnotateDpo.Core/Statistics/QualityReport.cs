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
public sealed class QualityReportService(IDbContextFactory<AnnotateDbContext> dbFactory)
{
    /// <summary>Cohen's κ is reported for annotator pairs who share at least this many items.</summary>
    public const int MinimumSharedItemsForKappa = 10;

    public async Task<QualityReport> GetAsync(string workspaceName, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var workspace = await WorkspaceLookup.GetAsync(db, workspaceName, cancellationToken);

        // Imported and final verdicts are not annotators' independent opinions, so they take no part in agreement or bias.
        var latest = await PairResolutionQuery.LatestJudgments(db, workspace.Id)
            .Where(j => !j.IsFinal && j.AnnotatorId != Judgment.ImportAnnotator)
            .Select(j => new { j.PairId, j.AnnotatorId, j.Verdict, j.ShownOrder })
            .ToListAsync(cancellationToken);
        var ratings = latest.Where(j => j.Verdict != Verdict.BothBad)
            .Select(j => new Rating<Verdict>(j.PairId.ToString(System.Globalization.CultureInfo.InvariantCulture), j.AnnotatorId, j.Verdict))
            .ToList();

        var resolutions = await PairResolutionQuery.ResolveWorkspaceAsync(db, workspace.Id, cancellationToken);
        var texts = await db.PreferencePairs.AsNoTracking().Where(p => p.WorkspaceId == workspace.Id)
            .Select(p => new { p.Id, A = p.ResponseA.Text, B = p.ResponseB.Text })
            .ToListAsync(cancellationToken);
        var resolved = texts.Where(p => resolutions[p.Id].IsResolved)
            .Select(p => resolutions[p.Id].Outcome == PairOutcome.AChosen ? new ChosenRejected(p.A, p.B) : new ChosenRejected(p.B, p.A));

        return new QualityReport(
            workspace.Name,
            Agree(ratings, latest.Count(j => j.Verdict == Verdict.BothBad)),
            Bias.Position(latest.Select(j => (j.ShownOrder, j.Verdict))),
            Bias.Length(resolved),
            texts.Count(p => Bias.IsNearIdentical(p.A, p.B)),
            texts.Count);
    }

    private static AgreementReport Agree(List<Rating<Verdict>> ratings, int excludedBothBad)
    {
        var items = ratings.GroupBy(r => r.Item).Where(g => g.Count() >= 2).Select(g => g.ToList()).ToList();
        AgreementEstimate Estimate(Func<IEnumerable<Rating<Verdict>>, double?> statistic, IReadOnlyList<List<Rating<Verdict>>> over) =>
            new(statistic(over.SelectMany(i => i)), over.Count,
                Intervals.Bootstrap(over, sample => statistic(sample.SelectMany((item, index) =>
                    item.Select(r => r with { Item = $"{index}:{r.Item}" })))));

        var annotators = ratings.Select(r => r.Annotator).Distinct().Order(StringComparer.Ordinal).ToList();
        var kappas = new List<AnnotatorPairKappa>();
        for (var i = 0; i < annotators.Count; i++)
            for (var j = i + 1; j < annotators.Count; j++)
            {
                var (first, second) = (annotators[i], annotators[j]);
                var shared = items.Where(item => item.Any(r => r.Annotator == first) && item.Any(r => r.Annotator == second))
                    .Select(item => item.Where(r => r.Annotator == first || r.Annotator == second).ToList()).ToList();
                if (shared.Count >= MinimumSharedItemsForKappa)
                    kappas.Add(new AnnotatorPairKappa(first, second, Estimate(r => Agreement.CohensKappa(r, first, second), shared)));
            }

        return new AgreementReport(
            annotators.Count,
            Estimate(Agreement.PercentAgreement, items),
            Estimate(Agreement.KrippendorffAlphaNominal, items),
            kappas,
            excludedBothBad);
    }
}
