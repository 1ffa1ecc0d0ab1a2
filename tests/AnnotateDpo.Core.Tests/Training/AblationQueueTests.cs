using AnnotateDpo.Core.Import;
using AnnotateDpo.Core.Snapshots;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Core.Training;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Tests.Training;

public class AblationQueueTests
{
    private const string Workspace = "ablation";

    private static TrainingRunQueue Queue(TestDatabase database) =>
        new(database.Factory, new SnapshotService(database.Factory, TimeProvider.System), TimeProvider.System);

    private static AblationRequest Request(TestDatabase database, string workspace = Workspace) =>
        new(workspace, "demo", """{"sft":false}""", """{"sft":true}""", "mika", Path.Combine(database.Folder, "runs"));

    /// <summary>Imported rows are approved SFT examples and resolved pairs; twenty of each leave some in every split.</summary>
    private static async Task SeedAsync(TestDatabase database)
    {
        var file = Path.Combine(database.Folder, "ablation.jsonl");
        var lines = Enumerable.Range(0, 20).SelectMany(i => new[]
        {
            $$"""{"messages":[{"role":"user","content":"question {{i}}"},{"role":"assistant","content":"answer {{i}}"}]}""",
            $$"""{"prompt":"prompt {{i}}","chosen":"good {{i}}","rejected":"bad {{i}}"}""",
        });
        await File.WriteAllLinesAsync(file, lines);
        await new ImportService(database.Factory, TimeProvider.System).ImportAsync(Workspace, [file], new ImportOptions());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task EnqueueAblationAsync_Workspace_QueuesBothArmsOnOneSnapshotLinkedByTheFirstRunsId(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await SeedAsync(database);

        var queued = await Queue(database).EnqueueAblationAsync(Request(database));

        var runs = await Queue(database).GetAblationAsync(queued.Id);
        Assert.Equal(queued.DpoFromBase.Id, queued.Id);
        Assert.Equal((queued.DpoFromBase.Id, queued.SftThenDpo.Id), (runs.DpoFromBase.Id, runs.SftThenDpo.Id));
        Assert.True(runs.DpoFromBase.Id < runs.SftThenDpo.Id);
        Assert.Equal(runs.DpoFromBase.SnapshotId, runs.SftThenDpo.SnapshotId);
        Assert.Equal(("""{"sft":false}""", """{"sft":true}"""), (runs.DpoFromBase.SettingsJson, runs.SftThenDpo.SettingsJson));
        Assert.All([runs.DpoFromBase, runs.SftThenDpo], run => Assert.Equal((queued.Id, TrainingRunState.Queued, "demo"), (run.AblationId, run.State, run.Preset)));
        Assert.NotEqual(runs.DpoFromBase.RunFolder, runs.SftThenDpo.RunFolder);
        await using var db = database.CreateDbContext();
        Assert.Equal(1, await db.Snapshots.CountAsync());
    }

    [Fact]
    public async Task StartNextAsync_AfterAnAblation_TakesDpoFromBaseFirstThenSftThenDpo()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await SeedAsync(database);
        var queue = Queue(database);
        var queued = await queue.EnqueueAblationAsync(Request(database));

        var first = await queue.StartNextAsync();
        await queue.FinishAsync(first!.Id, TrainingRunState.Succeeded, null);
        var second = await queue.StartNextAsync();

        Assert.Equal((queued.DpoFromBase.Id, queued.SftThenDpo.Id), (first.Id, second!.Id));
    }

    [Fact]
    public async Task EnqueueAsync_SingleRun_BelongsToNoAblation()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await SeedAsync(database);

        var run = await Queue(database).EnqueueAsync(
            new TrainingRunRequest(Workspace, "demo", "{}", "mika", Path.Combine(database.Folder, "runs"), NeedsSft: true, NeedsPairs: true));

        Assert.Null((await Queue(database).GetAsync(run.Id)).AblationId);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Queue(database).GetAblationAsync(run.Id));
    }

    [Fact]
    public async Task EnqueueAblationAsync_NoSftExamples_IsRefusedAndQueuesNothing()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        var file = Path.Combine(database.Folder, "pairs.jsonl");
        await File.WriteAllLinesAsync(file, Enumerable.Range(0, 20).Select(i => $$"""{"prompt":"p {{i}}","chosen":"good {{i}}","rejected":"bad {{i}}"}"""));
        await new ImportService(database.Factory, TimeProvider.System).ImportAsync(Workspace, [file], new ImportOptions());

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Queue(database).EnqueueAblationAsync(Request(database)));

        Assert.Contains("no approved SFT examples", error.Message);
        await using var db = database.CreateDbContext();
        Assert.Equal(0, await db.TrainingRuns.CountAsync());
    }
}
