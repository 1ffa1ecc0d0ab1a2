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
    public int Total => Human + Model + Mixed;

    public static async Task<PairOriginCounts> CountAsync(IDbContextFactory<AnnotateDbContext> dbFactory, string workspace,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        var origins = await db.PreferencePairs.Where(p => p.WorkspaceId == ws.Id)
            .GroupBy(p => new { A = p.ResponseA.Origin, B = p.ResponseB.Origin })
            .Select(g => new { g.Key.A, g.Key.B, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return new PairOriginCounts(
            origins.Where(o => o.A == ResponseOrigin.Human && o.B == ResponseOrigin.Human).Sum(o => o.Count),
            origins.Where(o => o.A == ResponseOrigin.Model && o.B == ResponseOrigin.Model).Sum(o => o.Count),
            origins.Where(o => !(o.A == o.B && o.A is ResponseOrigin.Human or ResponseOrigin.Model)).Sum(o => o.Count));
    }
}
