using System.Diagnostics;
using System.Security.Claims;
using AnnotateDpo.Core;
using AnnotateDpo.Core.Accounts;
using AnnotateDpo.Core.Import;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Core.Training;
using AnnotateDpo.Training.Diagnostics;
using AnnotateDpo.Training.Pipeline;
using AnnotateDpo.Web.Features.Training;
using AnnotateDpo.Web.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AnnotateDpo.Web.Tests.Features.Training;

/// <summary>
/// The worker with the real trainer as its child process (the built CLI, run with dotnet) on the tiny demo model and
/// the Japanese demo workspace in a SQLite file. Runs are kept short through the advanced settings (max steps).
/// </summary>
public sealed class TrainingWorkerTests : IAsyncLifetime
{
    private const string Workspace = "プレス設備保全";
    private static readonly TimeSpan GenerousWait = TimeSpan.FromMinutes(10);

    private readonly string _folder = Directory.CreateTempSubdirectory("annotatedpo-training-").FullName;
    private readonly List<ServiceProvider> _apps = [];

    private static readonly ClaimsPrincipal Manager = new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, "mika"), new Claim(ClaimTypes.Role, AppRoles.Manager)], "test"));

    public async Task InitializeAsync()
    {
        var app = NewApp();
        await app.GetRequiredService<AnnotateDbContextFactory>().MigrateAsync();
        var seed = Path.Combine(AppPaths.SeedDataFolder, "workspaces", "press-line-maintenance.ja.annotatedpo.jsonl");
        await app.GetRequiredService<ImportService>().ImportAsync(Workspace, [seed], new ImportOptions());
    }

    [Fact]
    public async Task Worker_DemoRun_SucceedsFollowingMetricsLiveAndSavesLoadableModels()
    {
        var app = NewApp();
        var training = app.GetRequiredService<TrainingService>();
        var livePoints = 0;
        training.Monitor.Changed += () => livePoints = Math.Max(livePoints, training.Monitor.Current?.Metrics.Count ?? 0);
        await StartWorkerAsync(app);

        var run = await training.StartAsync(Manager, Workspace, Settings(training, maxSteps: 2));
        var finished = await WaitForAsync(training, run.Id, r => r.IsFinished);

        Assert.Equal(TrainingRunState.Succeeded, finished.State);
        var metrics = training.Metrics(finished);
        Assert.Contains(metrics, p => p is { Stage: "sft", IsEval: false, Step: 2 });
        Assert.Contains(metrics, p => p is { Stage: "dpo", IsEval: false, Step: 2 } && p.Get("rewards/margins") is not null);
        Assert.True(livePoints > 0, "the monitor published the run's metrics while it trained");
        Assert.Equal("completed", training.Status(finished)!.State);
        var dpoModel = TrainingService.ModelFolder(finished, "dpo");
        Assert.NotNull(dpoModel);
        Assert.Contains(training.BaseModels([finished]), choice => choice.Folder == dpoModel && choice.FromRunId == finished.Id);
        Assert.NotNull(TrainingService.ReportFile(finished));
        var info = await RunCliAsync("model", "info", "--model", dpoModel!, "--json");
        Assert.Contains("\"parameters\"", info);
    }

    [Fact]
    public async Task CancelAsync_RunningRun_StopsAtAStepAndResumesToTheEnd()
    {
        var app = NewApp();
        var training = app.GetRequiredService<TrainingService>();
        await StartWorkerAsync(app);
        var run = await training.StartAsync(Manager, Workspace, Settings(training, maxSteps: 6, dpo: false));
        await WaitForLiveStepAsync(training, run.Id);

        var asked = await training.CancelAsync(Manager, run.Id);
        var cancelled = await WaitForAsync(training, run.Id, r => r.IsFinished);

        Assert.True(asked.CancelRequested);
        Assert.Equal(TrainingRunState.Cancelled, cancelled.State);
        var stopped = training.Status(cancelled)!;
        Assert.Equal("cancelled", stopped.State);
        Assert.True(stopped.Stage("sft")!.Steps < 6);

        await training.ResumeAsync(Manager, run.Id);
        var resumed = await WaitForAsync(training, run.Id, r => r.IsFinished);

        Assert.Equal(TrainingRunState.Succeeded, resumed.State);
        Assert.Equal(Enumerable.Range(1, 6), training.Metrics(resumed).Where(p => p is { Stage: "sft", IsEval: false }).Select(p => p.Step));
    }

    [Fact]
    public async Task Restart_RunTrainingWhenTheAppStopped_IsInterruptedAndResumesFromItsCheckpoint()
    {
        var first = NewApp();
        var training = first.GetRequiredService<TrainingService>();
        var worker = await StartWorkerAsync(first);
        var run = await training.StartAsync(Manager, Workspace, Settings(training, maxSteps: 6, dpo: false));
        await WaitForLiveStepAsync(training, run.Id);

        await worker.StopAsync(CancellationToken.None);
        Assert.Equal(TrainingRunState.Running, (await training.GetAsync(Manager, run.Id)).State);
        var second = NewApp();
        var restarted = second.GetRequiredService<TrainingService>();
        await StartWorkerAsync(second);
        var interrupted = await WaitForAsync(restarted, run.Id, r => r.State != TrainingRunState.Running);

        Assert.Equal(TrainingRunState.Interrupted, interrupted.State);
        Assert.True(interrupted.CanResume);
        await restarted.ResumeAsync(Manager, run.Id);
        var resumed = await WaitForAsync(restarted, run.Id, r => r.IsFinished);
        Assert.Equal(TrainingRunState.Succeeded, resumed.State);
        Assert.Equal(Enumerable.Range(1, 6), restarted.Metrics(resumed).Where(p => p is { Stage: "sft", IsEval: false }).Select(p => p.Step));
    }

    [Fact]
    public async Task Worker_TrainerKilled_MarksTheRunFailedAndResumable()
    {
        var app = NewApp();
        var training = app.GetRequiredService<TrainingService>();
        await StartWorkerAsync(app);
        var run = await training.StartAsync(Manager, Workspace, Settings(training, maxSteps: 200, dpo: false));
        await WaitForLiveStepAsync(training, run.Id);

        var pid = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(run.RunFolder, "run.json"))).RootElement.GetProperty("pid").GetInt32();
        Process.GetProcessById(pid).Kill();
        var failed = await WaitForAsync(training, run.Id, r => r.IsFinished);

        Assert.Equal(TrainingRunState.Failed, failed.State);
        Assert.Contains("before finishing", failed.Error);
        Assert.True(failed.CanResume);
    }

    [Fact]
    public async Task StartWithRemedyAsync_FinishedRun_TrainsItsConfigWithTheChangesOnTop()
    {
        var app = NewApp();
        var training = app.GetRequiredService<TrainingService>();
        await StartWorkerAsync(app);
        var first = await WaitForAsync(training, (await training.StartAsync(Manager, Workspace, Settings(training, maxSteps: 1) with { Sft = false, Seed = 7 })).Id,
            r => r.IsFinished);
        IReadOnlyList<ConfigChange> remedy = [new(ConfigChange.Stages, "sft,dpo"), ConfigChange.Set(ConfigChange.RpoAlpha, 1)];

        var next = await training.StartWithRemedyAsync(Manager, Workspace, first, remedy);
        var finished = await WaitForAsync(training, next.Id, r => r.IsFinished);

        Assert.Equal(TrainingRunState.Succeeded, first.State);
        Assert.Equal(TrainingRunState.Succeeded, finished.State);
        Assert.True(TrainingSettings.FromJson(finished.SettingsJson) is { Sft: true, Dpo: true });
        var config = TrainingRunConfig.Load(Path.Combine(finished.RunFolder, TrainingRunConfig.FileName));
        Assert.Equal([TrainingStage.Sft, TrainingStage.Dpo], config.Stages);
        Assert.Equal(1, config.Loss.RpoAlpha);
        // The rest is the earlier run's: its seed and step count.
        Assert.Equal((7, 1), (config.Seed, config.Dpo.MaxSteps));
        Assert.Contains(training.Metrics(finished), p => p is { Stage: "sft", IsEval: false, Step: 1 });
    }

    [Fact]
    public async Task StartAsync_NotAManager_IsRefused()
    {
        var training = NewApp().GetRequiredService<TrainingService>();
        var annotator = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ken"), new Claim(ClaimTypes.Role, AppRoles.Annotator)], "test"));

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => training.StartAsync(annotator, Workspace, Settings(training, maxSteps: 1)));
    }

    [Fact]
    public async Task StartAsync_NoStage_IsRefusedBeforeAnythingIsQueued()
    {
        var training = NewApp().GetRequiredService<TrainingService>();

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            training.StartAsync(Manager, Workspace, Settings(training, maxSteps: 1) with { Sft = false, Dpo = false }));

        Assert.Contains("at least one stage", error.Message);
        Assert.Empty(await training.ListAsync(Manager, Workspace));
    }

    private static TrainingSettings Settings(TrainingService training, int maxSteps, bool dpo = true) =>
        new() { Preset = TrainingPreset.Demo, BaseModel = training.DemoModel, MaxSteps = maxSteps, Dpo = dpo };

    private ServiceProvider NewApp()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Database"] = Path.Combine(_folder, "training.db"),
            ["Training:RunsFolder"] = Path.Combine(_folder, "runs"),
            ["Training:PollInterval"] = "00:00:00.100",
            ["Training:Threads"] = "1",
            ["Training:Niceness"] = "0",
            ["Training:ShutdownGrace"] = "00:02:00",
        }).Build());
        services.AddLogging();
        services.AddAnnotateCore();
        services.AddTrainingFeature();
        var provider = services.BuildServiceProvider();
        _apps.Add(provider);
        return provider;
    }

    private static async Task<IHostedService> StartWorkerAsync(ServiceProvider app)
    {
        var worker = app.GetServices<IHostedService>().OfType<BackgroundService>().Single();
        await worker.StartAsync(CancellationToken.None);
        return worker;
    }

    private static async Task<TrainingRun> WaitForAsync(TrainingService training, long runId, Func<TrainingRun, bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var run = await training.GetAsync(Manager, runId);
            if (condition(run))
                return run;
            if (clock.Elapsed > GenerousWait)
                throw new TimeoutException($"Run {runId} is still {run.State} after {GenerousWait}.");
            await Task.Delay(200);
        }
    }

    /// <summary>Until the worker has published a training step of the run, so that it has surely started.</summary>
    private static async Task WaitForLiveStepAsync(TrainingService training, long runId)
    {
        var clock = Stopwatch.StartNew();
        while (training.Monitor.Current is not { } live || live.RunId != runId || !live.Metrics.Any(p => !p.IsEval))
        {
            if (clock.Elapsed > GenerousWait)
                throw new TimeoutException($"Run {runId} published no training step within {GenerousWait}.");
            await Task.Delay(100);
        }
    }

    private static async Task<string> RunCliAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(new CliLauncher(new CliOptions()).CliPath);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"annotatedpo {string.Join(" ", arguments)} exited {process.ExitCode}: {errors}");
        return output;
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            foreach (var worker in app.GetServices<IHostedService>())
                await worker.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
        AnnotateDbContextFactory.ClearSqlitePools();
        Directory.Delete(_folder, recursive: true);
    }
}
