using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Snapshots;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Tests.Snapshots;

public class SnapshotServiceTests
{
    [Fact]
    public async Task CreateAsync_ResolvedPairsAndApprovedSft_AreFrozenWithExclusionsCounted()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(database.Factory);

        var result = await new SnapshotService(database.Factory, TimeProvider.System)
            .CreateAsync(new SnapshotRequest(CurationFixture.Workspace, EvalFraction: 0.25, Seed: 7));

        var snapshot = result.Snapshot;
        Assert.True(result.Created);
        Assert.Equal(["sft-1", "sft-2", "sft-3", "sft-4"], snapshot.SftItems.Select(i => i.SourceKey).Order());
        var pair = Assert.Single(snapshot.PairItems);
        Assert.Equal(("pair-majority", "B wins", "A loses"), (pair.SourceKey, pair.Chosen, pair.Rejected));
        Assert.Equal((1, 1, 1, 1), (snapshot.ExcludedTies, snapshot.ExcludedBothBad, snapshot.ExcludedDisagreements, snapshot.ExcludedUnjudged));
        Assert.Equal(1, snapshot.SftItems.Count(i => i.Split == DatasetSplit.Eval));
        Assert.Matches("^[0-9a-f]{64}$", snapshot.ContentHash);
    }

    [Fact]
    public async Task CreateAsync_SameContentTwice_ReturnsTheExistingSnapshot()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(database.Factory);
        var service = new SnapshotService(database.Factory, TimeProvider.System);

        var first = await service.CreateAsync(new SnapshotRequest(CurationFixture.Workspace));
        var second = await service.CreateAsync(new SnapshotRequest(CurationFixture.Workspace));

        Assert.False(second.Created);
        Assert.Equal(first.Snapshot.Id, second.Snapshot.Id);
        Assert.Equal(first.Snapshot.ContentHash, second.Snapshot.ContentHash);
    }

    [Fact]
    public async Task CreateAsync_SameContentInAnotherDatabase_GivesTheSameHash()
    {
        await using var one = await TestDatabase.CreateSqliteAsync();
        await using var two = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(one.Factory);
        await CurationFixture.SeedAsync(two.Factory);

        var a = await new SnapshotService(one.Factory, TimeProvider.System).CreateAsync(new SnapshotRequest(CurationFixture.Workspace));
        var b = await new SnapshotService(two.Factory, TimeProvider.System).CreateAsync(new SnapshotRequest(CurationFixture.Workspace));

        Assert.Equal(a.Snapshot.ContentHash, b.Snapshot.ContentHash);
    }

    [Fact]
    public async Task CreateAsync_DifferentSeed_ChangesSplitAndHash()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(database.Factory);
        var service = new SnapshotService(database.Factory, TimeProvider.System);

        var seeds = new List<string>();
        for (var seed = 0; seed < 6; seed++)
            seeds.Add((await service.CreateAsync(new SnapshotRequest(CurationFixture.Workspace, 0.25, seed))).Snapshot.ContentHash);

        Assert.Equal(seeds.Count, seeds.Distinct().Count());
    }

    [Fact]
    public async Task EditAfterSnapshot_DoesNotChangeTheSnapshot_AndANewSnapshotDiffers()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(database.Factory);
        var service = new SnapshotService(database.Factory, TimeProvider.System);
        var before = await service.CreateAsync(new SnapshotRequest(CurationFixture.Workspace));

        await using (var db = database.Factory.CreateDbContext())
        {
            var example = await db.SftExamples.SingleAsync(e => e.Key == "sft-1");
            example.Messages = [new(ChatRoles.User, "changed question"), new(ChatRoles.Assistant, "changed answer")];
            await db.SaveChangesAsync();
        }
        var reread = await service.GetAsync(before.Snapshot.Id);
        var after = await service.CreateAsync(new SnapshotRequest(CurationFixture.Workspace));

        var frozen = reread.SftItems.Single(i => i.SourceKey == "sft-1");
        Assert.Equal("How do I bleed the hydraulic line?", frozen.Messages[0].Content);
        Assert.Equal(before.Snapshot.ContentHash, reread.ContentHash);
        Assert.True(after.Created);
        Assert.NotEqual(before.Snapshot.ContentHash, after.Snapshot.ContentHash);
    }

    [Fact]
    public async Task CreateAsync_UnknownWorkspace_NamesTheKnownOnes()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(database.Factory);

        var error = await Assert.ThrowsAsync<AnnotateDpo.Core.Curation.WorkspaceNotFoundException>(() =>
            new SnapshotService(database.Factory, TimeProvider.System).CreateAsync(new SnapshotRequest("nope")));

        Assert.Contains(CurationFixture.Workspace, error.Message);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    public async Task CreateAsync_EvalFractionOutOfRange_NamesTheSetting(double fraction)
    {
        await using var database = await TestDatabase.CreateSqliteAsync();

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            new SnapshotService(database.Factory, TimeProvider.System).CreateAsync(new SnapshotRequest("any", fraction)));

        Assert.Contains("eval-fraction", error.Message);
    }
}
