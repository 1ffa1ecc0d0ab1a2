using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Tests.Curation;

public sealed class PairReviewServiceTests
{
    private const string Workspace = CurationFixture.Workspace;

    private static async Task<(TestDatabase Db, PairReviewService Service)> ArrangeAsync(DatabaseProvider provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        await CurationFixture.SeedAsync(db.Factory);
        return (db, new PairReviewService(db.Factory, TimeProvider.System));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RequestAsync_FlaggedPair_IsListedOpenWithItsReasonAndVerdictsUntilClosed(DatabaseProvider provider)
    {
        var (db, service) = await ArrangeAsync(provider);
        await using var owned = db;

        var request = await service.RequestAsync(Workspace, "pair-disagree", "Displacement (Δlog p_w −3.00)", "run r1", "boss");
        var open = await service.ListOpenAsync(Workspace);
        await service.CloseAsync(request.PairId, "boss");
        var afterClose = await service.ListOpenAsync(Workspace);

        var flagged = Assert.Single(open);
        Assert.Equal(("Displacement (Δlog p_w −3.00)", "run r1", "boss"), (flagged.Request.Reason, flagged.Request.Source, flagged.Request.RequestedBy));
        Assert.Equal("pair-disagree", flagged.Pair.PairKey);
        Assert.Equal([("suzuki", Verdict.B), ("tanaka", Verdict.A)], flagged.Pair.Verdicts.Select(v => (v.AnnotatorId, v.Verdict)));
        Assert.Empty(afterClose);
        await using var context = db.CreateDbContext();
        var closed = await context.PairReviewRequests.SingleAsync();
        Assert.Equal("boss", closed.ClosedBy);
        Assert.NotNull(closed.ClosedAt);
    }

    [Fact]
    public async Task RequestAsync_PairAlreadyWaiting_KeepsTheOneRequest()
    {
        var (db, service) = await ArrangeAsync(DatabaseProvider.Sqlite);
        await using var owned = db;

        var first = await service.RequestAsync(Workspace, "pair-disagree", "Suppression", "run r1", "boss");
        var second = await service.RequestAsync(Workspace, "pair-disagree", "Displacement", "run r2", "mika");

        Assert.Equal(first.Id, second.Id);
        Assert.Equal("Suppression", Assert.Single(await service.ListOpenAsync(Workspace)).Request.Reason);
    }

    [Theory]
    [InlineData("no-such-pair", "Suppression", "pairKey: workspace")]
    [InlineData("pair-disagree", " ", "reason: must not be empty")]
    public async Task RequestAsync_BadInput_NamesTheFieldAndStoresNothing(string key, string reason, string message)
    {
        var (db, service) = await ArrangeAsync(DatabaseProvider.Sqlite);
        await using var owned = db;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => service.RequestAsync(Workspace, key, reason, "run r1", "boss"));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        await using var context = db.CreateDbContext();
        Assert.Empty(await context.PairReviewRequests.ToListAsync());
    }

    [Fact]
    public async Task RequestAsync_ReasonTooLong_SaysHowLong()
    {
        var (db, service) = await ArrangeAsync(DatabaseProvider.Sqlite);
        await using var owned = db;

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            service.RequestAsync(Workspace, "pair-disagree", new string('x', PairReviewRequest.ReasonMaxLength + 1), "run r1", "boss"));

        Assert.Contains($"{PairReviewRequest.ReasonMaxLength + 1} characters, more than the {PairReviewRequest.ReasonMaxLength} allowed", error.Message);
    }

    [Fact]
    public async Task GetAsync_KnownAndUnknownKeys_GivesThePairOrNull()
    {
        var (db, service) = await ArrangeAsync(DatabaseProvider.Sqlite);
        await using var owned = db;

        Assert.Equal("pair-disagree A", (await service.GetAsync(Workspace, "pair-disagree"))!.ResponseA);
        Assert.Null(await service.GetAsync(Workspace, "no-such-pair"));
    }
}
