using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Evaluation;

/// <summary>
/// A workspace's pairs by where their responses came from: both written by people, both sampled from a model
/// (on-policy pairs and pairs added from evaluations), or mixed (one response a model's or edited).
/// </summary>
public sealed record PairOriginCounts(int Human, int Model, int Mixed)
{
    public static readonly PairOriginCounts Zero = new(0, 0, 0);

    public int Total => Human + Model + Mixed;

    /// <summary>These counts with <paramref name="count"/> more pairs of the given responses' origins.</summary>
    public PairOriginCounts Add(ResponseOrigin a, ResponseOrigin b, int count = 1) => (a, b) switch
    {
        (ResponseOrigin.Human, ResponseOrigin.Human) => this with { Human = Human + count },
        (ResponseOrigin.Model, ResponseOrigin.Model) => this with { Model = Model + count },
        _ => this with { Mixed = Mixed + count },
    };

    /// <summary>A snapshot's pairs by origin.</summary>
    public static PairOriginCounts Of(IEnumerable<SnapshotPairItem> items) =>
        items.Aggregate(Zero, (counts, item) => counts.Add(item.ChosenOrigin, item.RejectedOrigin));

    public PairOriginCounts Add(PairOriginCounts other) => new(Human + other.Human, Model + other.Model, Mixed + other.Mixed);

    public static async Task<PairOriginCounts> CountAsync(IDbContextFactory<AnnotateDbContext> dbFactory, string workspace,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        var origins = await db.PreferencePairs.Where(p => p.WorkspaceId == ws.Id)
            .GroupBy(p => new { A = p.ResponseA.Origin, B = p.ResponseB.Origin })
            .Select(g => new { g.Key.A, g.Key.B, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return origins.Aggregate(Zero, (counts, o) => counts.Add(o.A, o.B, o.Count));
    }
}
