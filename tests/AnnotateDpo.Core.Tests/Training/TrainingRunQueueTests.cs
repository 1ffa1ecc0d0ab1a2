using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Snapshots;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Core.Training;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Tests.Training;

public class TrainingRunQueueTests
{
    private static TrainingRunQueue Queue(TestDatabase database) =>
        new(database.Factory, new SnapshotService(database.Factory, TimeProvider.System), TimeProvider.System);

    private static TrainingRunRequest Request(TestDatabase database, string workspace = CurationFixture.Workspace, bool needsPairs = true) =>
        new(workspace, "demo", """{"preset":"demo"}""", "mika", Path.Combine(database.Folder, "runs"), NeedsSft: true, NeedsPairs: needsPairs);

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task EnqueueAsync_Workspace_SnapshotsItAndQueuesARunWithItsOwnFolder(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await CurationFixture.SeedAsync(database.Factory);

        var run = await Queue(database).EnqueueAsync(Request(database, needsPairs: false));

        var stored = await Queue(database).GetAsync(run.Id);
        Assert.Equal((TrainingRunState.Queued, "demo", "mika"), (stored.State, stored.Preset, stored.RequestedBy));
        Assert.EndsWith($"-r{run.Id}", stored.RunKey);
        Assert.Equal(Path.Combine(database.Folder, "runs", stored.RunKey), stored.RunFolder);
        await using var db = database.CreateDbContext();
        var snapshot = await db.Snapshots.SingleAsync(s => s.Id == stored.SnapshotId);
        Assert.Equal(("mika", stored.WorkspaceId), (snapshot.CreatedBy, snapshot.WorkspaceId));
    }

    [Fact]
    public async Task EnqueueAsync_EditAfterQueueing_NeverReachesTheRunsSnapshot()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(database.Factory);
        var run = await Queue(database).EnqueueAsync(Request(database, needsPairs: false));

        await using (var db = database.CreateDbContext())
        {
            var example = await db.SftExamples.FirstAsync(e => e.Status == SftStatus.Approved);
            example.Messages = [new ChatMessage("user", "changed"), new ChatMessage("assistant", "changed")];
            await db.SaveChangesAsync();
        }

        await using var check = database.CreateDbContext();
        var texts = await check.SnapshotSftItems.Where(i => i.SnapshotId == run.SnapshotId).Select(i => i.Messages).ToListAsync();
        Assert.DoesNotContain(texts, messages => messages.Any(m => m.Content == "changed"));
    }

    [Fact]
    public async Task EnqueueAsync_NoPairsForADpoStage_IsRefusedSayingWhatToDo()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await using (var db = database.CreateDbContext())
        {
            db.Workspaces.Add(new Workspace { Name = "empty" });
            await db.SaveChangesAsync();
        }

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Queue(database).EnqueueAsync(Request(database, "empty")));

        Assert.Contains("no approved SFT examples", error.Message);
        await using var check = database.CreateDbContext();
        Assert.Equal(0, await check.TrainingRuns.CountAsync());
    }

    [Fact]
    public async Task EnqueueAsync_UnknownWorkspace_NamesTheKnownOnes()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(database.Factory);

        var error = await Assert.ThrowsAsync<WorkspaceNotFoundException>(() => Queue(database).EnqueueAsync(Request(database, "nope")));

        Assert.Contains(CurationFixture.Workspace, error.Message);
    }

    [Fact]
    public async Task StartNextAsync_TwoQueued_TakesTheOldestFirstAndNoneWhenEmpty()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(database.Factory);
        var queue = Queue(database);
        var first = await queue.EnqueueAsync(Request(database, needsPairs: false));
        var second = await queue.EnqueueAsync(Request(database, needsPairs: false));

        var taken = await queue.StartNextAsync();
        await queue.FinishAsync(taken!.Id, TrainingRunState.Succeeded, null);
        var next = await queue.StartNextAsync();
        var none = await queue.StartNextAsync();

        Assert.Equal((first.Id, second.Id), (taken.Id, next!.Id));
        Assert.Equal(TrainingRunState.Running, next.State);
        Assert.Null(none);
        Assert.Equal(TrainingRunState.Succeeded, (await queue.GetAsync(first.Id)).State);
    }

    [Fact]
    public async Task RequestCancelAsync_QueuedRun_IsNeverStarted()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(database.Factory);
        var queue = Queue(database);
        var run = await queue.EnqueueAsync(Request(database, needsPairs: false));

        var cancelled = await queue.RequestCancelAsync(run.Id);

        Assert.Equal(TrainingRunState.Cancelled, cancelled.State);
        Assert.Null(await queue.StartNextAsync());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task InterruptAbandonedAsync_RunLeftRunning_IsInterruptedAndCanBeResumed(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await CurationFixture.SeedAsync(database.Factory);
        var queue = Queue(database);
        var run = await queue.EnqueueAsync(Request(database, needsPairs: false));
        await queue.StartNextAsync();

        var interrupted = await queue.InterruptAbandonedAsync();
        var resumed = await queue.ResumeAsync(run.Id, "sato");
        var restarted = await queue.StartNextAsync();

        Assert.Equal(run.Id, Assert.Single(interrupted).Id);
        Assert.Equal((TrainingRunState.Queued, true), (resumed.State, resumed.ResumeRequested));
        Assert.Equal((run.Id, true, "sato"), (restarted!.Id, restarted.ResumeRequested, restarted.RequestedBy));
    }

    [Fact]
    public async Task ListAsync_Workspace_ListsItsRunsNewestFirst()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await CurationFixture.SeedAsync(database.Factory);
        var queue = Queue(database);
        var first = await queue.EnqueueAsync(Request(database, needsPairs: false));
        var second = await queue.EnqueueAsync(Request(database, needsPairs: false));

        var runs = await queue.ListAsync(CurationFixture.Workspace);

        Assert.Equal([second.Id, first.Id], runs.Select(r => r.Id));
    }
}
