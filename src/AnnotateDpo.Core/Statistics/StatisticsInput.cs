using System.Globalization;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Statistics;

/// <summary>A pair as the statistics read it besides its texts (whose facts are in <see cref="PairTextFacts"/>): its category and its responses' origins.</summary>
public sealed record PairShape(long Id, long? CategoryId, ResponseOrigin OriginA, ResponseOrigin OriginB);

/// <summary>
/// What the counts, the quality report and the annotator report are all computed from, read once per computation:
/// at a million judgments the latest-judgment query is the most expensive read, and each report used to run its own.
/// </summary>
internal sealed record StatisticsInput(
    Workspace Workspace,
    IReadOnlyList<PairShape> Pairs,
    IReadOnlyList<LatestJudgment> Latest,
    IReadOnlyDictionary<long, PairResolution> Resolutions)
{
    public static async Task<StatisticsInput> LoadAsync(AnnotateDbContext db, string workspaceName, CancellationToken cancellationToken)
    {
        var workspace = await WorkspaceLookup.GetAsync(db, workspaceName, cancellationToken);
        var pairs = await db.PreferencePairs.AsNoTracking().Where(p => p.WorkspaceId == workspace.Id)
            .Select(p => new PairShape(p.Id, p.CategoryId, p.ResponseA.Origin, p.ResponseB.Origin))
            .ToListAsync(cancellationToken);
        var latest = await PairResolutionQuery.LoadLatestAsync(db, workspace.Id, cancellationToken);
        return new StatisticsInput(workspace, pairs, latest, PairResolutionQuery.Resolve(pairs.Select(p => p.Id), latest));
    }

    /// <summary>The latest verdicts that are annotators' own opinions (see <see cref="LatestJudgment.IsIndependent"/>).</summary>
    public IReadOnlyList<LatestJudgment> Independent { get; } = Latest.Where(j => j.IsIndependent).ToList();

    /// <summary>The same verdicts as the annotator breakdown reads them.</summary>
    public IReadOnlyList<AnnotatorVerdict> Verdicts => LazyInitializer.EnsureInitialized(ref _verdicts, () => Independent
        .Select(j => new AnnotatorVerdict(j.PairId.ToString(CultureInfo.InvariantCulture), j.AnnotatorId, j.Verdict, j.ShownOrder))
        .ToList());

    /// <summary>
    /// Agreement of every annotator pair sharing enough items. The quality report's κ and the annotator report's
    /// table are the same numbers, and their bootstraps the dearest part of a report, so they are computed once.
    /// </summary>
    public IReadOnlyList<PairAgreement> Pairwise => LazyInitializer.EnsureInitialized(ref _pairwise,
        () => AnnotatorAgreement.Pairwise(Verdicts, QualityReportService.MinimumSharedItemsForKappa));

    private IReadOnlyList<AnnotatorVerdict>? _verdicts;
    private IReadOnlyList<PairAgreement>? _pairwise;
}
