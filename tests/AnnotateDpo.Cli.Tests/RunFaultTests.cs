using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using AnnotateDpo.Core.Snapshots;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Training.Pipeline;
using AnnotateDpo.Training.Trainers;

namespace AnnotateDpo.Cli.Tests;

/// <summary>
/// <c>annotatedpo train</c> as a real child process, killed, cancelled and signalled mid-run, then resumed: the
/// resumed run must log exactly the metrics of an uninterrupted run of the same config.
/// </summary>
[Collection(ModelCliCollection.Name)]
public sealed class RunFaultTests(ModelCliFixture fixture) : IDisposable
{
    /// <summary>Metrics that measure the machine, not the training.</summary>
    private static readonly string[] TimingKeys = ["elapsed_seconds", TrainingMetrics.TokensPerSecond, TrainingMetrics.PeakMemoryMb];

    private readonly string folder = Directory.CreateTempSubdirectory("annotatedpo-faults-").FullName;

    private string Db => Path.Combine(folder, "faults.db");

    private string Runs => Path.Combine(folder, "runs");

    public void Dispose()
    {
        AnnotateDbContextFactory.ClearSqlitePools();
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>A workspace with 12 SFT examples and 12 pairs, and one snapshot of it, shared by every run of a test.</summary>
    private async Task<string> SnapshotAsync()
    {
        await PressWorkspace.ImportAsync(Db, PressWorkspace.SftFile(folder, 12, distinct: true), PressWorkspace.PairsFile(folder, 12));
        var snapshot = await new SnapshotService(new AnnotateDbContextFactory(DatabaseTarget.Parse(Db)), TimeProvider.System)
            .CreateAsync(new SnapshotRequest("press"));
        return snapshot.Snapshot.Id.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Long enough (two stages of 150 steps) that a kill lands well after the first checkpoint and before the end.</summary>
    private string[] Train(string snapshot, string runId) =>
    [
        "train", "--db", Db, "--workspace", "press", "--snapshot", snapshot, "--model", fixture.ModelDirectory,
        "--preset", "demo", "--max-steps", "150", "--checkpoint-steps", "10", "--threads", "1", "--runs", Runs, "--run-id", runId,
    ];

    private string RunFolder(string runId) => Path.Combine(Runs, runId);

    /// <summary>Waits until the run has written a complete checkpoint (or its process ended, which fails the test).</summary>
    private async Task WaitForCheckpointAsync(CliProcess child, string runId)
    {
        var checkpoints = Path.Combine(RunFolder(runId), RunFiles.CheckpointsFolderName);
        var guard = Stopwatch.StartNew();
        while (TrainerCheckpoint.Latest(checkpoints, "sft") is null)
        {
            if (child.Process.HasExited)
                Assert.Fail($"the run ended before its first checkpoint: {(await child.WaitAsync()).StdOut}");
            Assert.True(guard.Elapsed < TimeSpan.FromMinutes(3), "no checkpoint appeared");
            await Task.Delay(10);
        }
    }

    /// <summary>metrics.jsonl without the timing fields, one string per line.</summary>
    private List<string> Metrics(string runId) => File.ReadAllLines(Path.Combine(RunFolder(runId), RunLog.MetricsFileName))
        .Select(line =>
        {
            var node = JsonNode.Parse(line)!.AsObject();
            foreach (var key in TimingKeys)
                node.Remove(key);
            return node.ToJsonString();
        })
        .ToList();

    private async Task<List<string>> UninterruptedMetricsAsync(string snapshot)
    {
        var run = await CliRunner.RunAsync(Train(snapshot, "whole"));
        Assert.True(run.ExitCode == 0, run.StdErr + run.StdOut);
        return Metrics("whole");
    }

    private async Task<CliResult> ResumeAsync(string runId) =>
        await CliRunner.RunAsync("runs", "resume", runId, "--runs", Runs, "--db", Db);

    [Fact]
    public async Task Train_KilledAfterFirstCheckpoint_ResumesToTheMetricsOfAnUninterruptedRun()
    {
        var snapshot = await SnapshotAsync();
        var expected = await UninterruptedMetricsAsync(snapshot);

        using (var child = CliRunner.Start(Train(snapshot, "killed")))
        {
            await WaitForCheckpointAsync(child, "killed");
            child.Process.Kill();
            await child.Process.WaitForExitAsync();
        }
        var list = await ModelCliFixture.RunAsync("runs", "list", "--runs", Runs);
        var resumed = await ResumeAsync("killed");

        Assert.Matches(@"killed\tinterrupted\tsft \d+/150", list.Stdout);
        Assert.True(resumed.ExitCode == 0, resumed.StdErr + resumed.StdOut);
        var status = RunStatus.Load(RunFolder("killed"));
        Assert.Equal(RunState.Completed, status.State);
        Assert.Equal(1, status.Resumes);
        Assert.Equal(expected, Metrics("killed"));
        Assert.Equal(150, status.Stages["dpo"].Steps);
        Assert.True(File.Exists(Path.Combine(RunFolder("killed"), "dpo", "model.safetensors")));
        Assert.Empty(Directory.GetDirectories(Path.Combine(RunFolder("killed"), RunFiles.CheckpointsFolderName)));
    }

    [Fact]
    public async Task RunsCancel_RunningChild_StopsWithACheckpointAndResumesToTheSameMetrics()
    {
        var snapshot = await SnapshotAsync();
        var expected = await UninterruptedMetricsAsync(snapshot);

        CliResult stopped;
        CliRun cancel;
        using (var child = CliRunner.Start(Train(snapshot, "cancelled")))
        {
            await WaitForCheckpointAsync(child, "cancelled");
            cancel = await ModelCliFixture.RunAsync("runs", "cancel", "cancelled", "--runs", Runs);
            stopped = await child.WaitAsync();
        }
        var status = RunStatus.Load(RunFolder("cancelled"));
        var resumed = await ResumeAsync("cancelled");

        Assert.True(cancel.ExitCode == 0, cancel.Stderr);
        Assert.Equal(130, stopped.ExitCode);
        Assert.Equal(RunState.Cancelled, status.State);
        Assert.Equal(RunState.Cancelled, status.Stages["sft"].State);
        // The cancelled step itself was checkpointed, so no finished step is lost.
        Assert.Equal($"checkpoints/{TrainerCheckpoint.FolderName("sft", status.Stages["sft"].Steps)}", status.LastCheckpoint);
        Assert.True(File.Exists(Path.Combine(RunFolder("cancelled"), RunFiles.ReportFileName)));
        Assert.True(resumed.ExitCode == 0, resumed.StdErr + resumed.StdOut);
        Assert.Equal(expected, Metrics("cancelled"));
    }

    [Fact]
    public async Task Train_Sigterm_EndsCancelledWithExit130()
    {
        var snapshot = await SnapshotAsync();

        CliResult stopped;
        using (var child = CliRunner.Start(Train(snapshot, "terminated")))
        {
            await WaitForCheckpointAsync(child, "terminated");
            using (var kill = Process.Start("kill", ["-TERM", child.Process.Id.ToString(CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            stopped = await child.WaitAsync();
        }

        Assert.True(stopped.ExitCode == 130, stopped.StdErr + stopped.StdOut);
        var status = RunStatus.Load(RunFolder("terminated"));
        Assert.Equal(RunState.Cancelled, status.State);
        Assert.NotNull(TrainerCheckpoint.Latest(Path.Combine(RunFolder("terminated"), RunFiles.CheckpointsFolderName), "sft"));
    }

    [Fact]
    public async Task RunsResume_CompletedRun_ExitsTwo()
    {
        var snapshot = await SnapshotAsync();
        var args = Train(snapshot, "done").ToList();
        args[args.IndexOf("150")] = "2";
        var run = await ModelCliFixture.RunAsync([.. args]);

        var resumed = await ModelCliFixture.RunAsync("runs", "resume", "done", "--runs", Runs, "--db", Db);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(2, resumed.ExitCode);
        Assert.Contains("is completed", resumed.Stderr, StringComparison.Ordinal);
    }
}
