using AnnotateDpo.Core.Statistics;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Tests.Curation;

public sealed class DisagreementServiceTests
{
    private const string Workspace = CurationFixture.Workspace;

    private static async Task<(TestDatabase Db, DisagreementService Service, long PairId)> ArrangeAsync(DatabaseProvider provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        await CurationFixture.SeedAsync(db.Factory);
        await using var context = db.CreateDbContext();
        var pairId = await context.PreferencePairs.Where(p => p.Key == "pair-disagree").Select(p => p.Id).SingleAsync();
        return (db, new DisagreementService(db.Factory, TimeProvider.System), pairId);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ListAsync_FixtureWorkspace_ShowsTheDisagreedPairWithEachAnnotatorsVerdict(DatabaseProvider provider)
    {
        var (db, service, pairId) = await ArrangeAsync(provider);
        await using var owned = db;

        var page = await service.ListAsync(Workspace);

        Assert.Equal(1, page.Total);
        var disagreement = Assert.Single(page.Items);
        Assert.Equal(pairId, disagreement.PairId);
        Assert.Equal("pair-disagree A", disagreement.ResponseA);
        Assert.Equal([("suzuki", Verdict.B), ("tanaka", Verdict.A)], disagreement.Verdicts.Select(v => (v.AnnotatorId, v.Verdict)));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SetFinalAsync_ManagersVerdict_DecidesThePairAndEndsTheDisagreement(DatabaseProvider provider)
    {
        var (db, service, pairId) = await ArrangeAsync(provider);
        await using var owned = db;

        await service.SetFinalAsync(Workspace, pairId, "boss", Verdict.B, VerdictStrength.Clear, "B names the valve.");

        Assert.Equal(0, (await service.ListAsync(Workspace)).Total);
        await using var context = db.CreateDbContext();
        var workspaceId = await context.Workspaces.Select(w => w.Id).SingleAsync();
        var resolutions = await PairResolutionQuery.ResolveWorkspaceAsync(context, workspaceId, CancellationToken.None);
        Assert.Equal(PairOutcome.BChosen, resolutions[pairId].Outcome);
        var final = await context.Judgments.SingleAsync(j => j.PairId == pairId && j.IsFinal);
        Assert.Equal(("boss", "B names the valve."), (final.AnnotatorId, final.Rationale));
    }

    [Fact]
    public async Task SetFinalAsync_ByAManagerWhoAlsoJudged_KeepsTheirOwnVerdictForAgreement()
    {
        var (db, service, pairId) = await ArrangeAsync(DatabaseProvider.Sqlite);
        await using var owned = db;

        await service.SetFinalAsync(Workspace, pairId, "tanaka", Verdict.B, VerdictStrength.Strong, null);

        await using var context = db.CreateDbContext();
        var workspaceId = await context.Workspaces.Select(w => w.Id).SingleAsync();
        var independent = (await PairResolutionQuery.LatestJudgments(context, workspaceId).Where(j => j.PairId == pairId).ToListAsync())
            .Select(j => new Vote(j.AnnotatorId, j.Verdict, j.ShownOrder, j.IsFinal))
            .Where(v => v.IsIndependent).OrderBy(v => v.Annotator, StringComparer.Ordinal);
        Assert.Equal([("suzuki", Verdict.B), ("tanaka", Verdict.A)], independent.Select(v => (v.Annotator, v.Verdict)));
        var judgments = await context.Judgments.Where(j => j.PairId == pairId).ToListAsync();
        Assert.Equal(PairOutcome.BChosen, PairResolver.Resolve(judgments).Outcome);
        Assert.Equal(3, PairResolver.LatestPerAnnotator(judgments).Count);
    }

    [Fact]
    public async Task SetFinalAsync_SecondFinal_SupersedesTheFirst()
    {
        var (db, service, pairId) = await ArrangeAsync(DatabaseProvider.Sqlite);
        await using var owned = db;
        var first = await service.SetFinalAsync(Workspace, pairId, "boss", Verdict.A, VerdictStrength.Slight, null);

        var second = await service.SetFinalAsync(Workspace, pairId, "boss", Verdict.BothBad, null, "Neither names the valve.");

        Assert.Equal(first.Id, second.SupersedesId);
        await using var context = db.CreateDbContext();
        var workspaceId = await context.Workspaces.Select(w => w.Id).SingleAsync();
        var resolutions = await PairResolutionQuery.ResolveWorkspaceAsync(context, workspaceId, CancellationToken.None);
        Assert.Equal(PairOutcome.BothBad, resolutions[pairId].Outcome);
    }

    [Fact]
    public async Task SetFinalAsync_DecisiveVerdictWithoutStrength_IsRefused()
    {
        var (db, service, pairId) = await ArrangeAsync(DatabaseProvider.Sqlite);
        await using var owned = db;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => service.SetFinalAsync(Workspace, pairId, "boss", Verdict.A, null, null));

        Assert.StartsWith("strength:", error.Message, StringComparison.Ordinal);
    }
}
