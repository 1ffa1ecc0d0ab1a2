using System.Security.Claims;
using AnnotateDpo.Core.Accounts;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Core.Training;
using AnnotateDpo.Training.Diagnostics;
using AnnotateDpo.Training.Pipeline;
using AnnotateDpo.Web.Hosting;
using Microsoft.Extensions.Options;

namespace AnnotateDpo.Web.Features.Training;

/// <summary>A model folder a new run can start from.</summary>
/// <param name="FromRunId">The finished run whose stage made it; null for the demo model.</param>
public sealed record BaseModelChoice(string Folder, long? FromRunId, string? Stage);

/// <summary>
/// What the training page may do, for a manager only (checked here, not trusted from the page): queue a run on a
/// fresh snapshot, cancel, resume, and read a run's progress — live from the worker, or from its folder.
/// </summary>
public sealed class TrainingService(TrainingRunQueue queue, TrainingMonitor monitor, CliLauncher cli, IOptions<TrainingOptions> options)
{
    private readonly TrainingOptions settings = options.Value;

    public TrainingMonitor Monitor => monitor;

    public string DemoModel => settings.ResolvedDemoModel;

    /// <summary>Null when the trainer can be started; otherwise what to do so that it can.</summary>
    public string? TrainerProblem => cli.Problem;

    public async Task<TrainingRun> StartAsync(ClaimsPrincipal user, string workspace, TrainingSettings request, CancellationToken cancellationToken = default)
    {
        var userName = RequireManager(user);
        request.Validate();
        var run = await queue.EnqueueAsync(
            new TrainingRunRequest(workspace, request.Preset.ToString().ToLowerInvariant(), request.ToJson(), userName, settings.ResolvedRunsFolder, request.Sft, request.Dpo),
            cancellationToken);
        monitor.Wake();
        monitor.NotifyChanged();
        return run;
    }

    /// <summary>
    /// Queues a new run from <paramref name="from"/>'s resolved config with <paramref name="remedy"/> applied (a run
    /// alert's), on the same base model and on a fresh snapshot like any new run.
    /// </summary>
    public Task<TrainingRun> StartWithRemedyAsync(ClaimsPrincipal user, string workspace, TrainingRun from, IReadOnlyList<ConfigChange> remedy,
        CancellationToken cancellationToken = default)
    {
        RequireManager(user);
        var configFile = Path.Combine(from.RunFolder, TrainingRunConfig.FileName);
        if (!File.Exists(configFile))
            throw new ArgumentException($"Run {from.Id} has not written its config yet, so there is nothing to change.");
        var next = remedy.Aggregate(TrainingRunConfig.Load(configFile), (config, change) => change.Apply(config));
        var earlier = TrainingSettings.FromJson(from.SettingsJson);
        // The earlier run's overrides are in its config.json already; only the remedy comes on top.
        var settings = new TrainingSettings
        {
            Preset = earlier.Preset,
            BaseModel = earlier.BaseModel,
            Sft = next.Runs(TrainingStage.Sft),
            Dpo = next.Runs(TrainingStage.Dpo),
            ConfigFile = configFile,
            Changes = remedy,
        };
        return StartAsync(user, workspace, settings, cancellationToken);
    }

    /// <summary>The workspace's run whose folder is named <paramref name="runKey"/>; null when there is none.</summary>
    public async Task<TrainingRun?> FindAsync(ClaimsPrincipal user, string workspace, string runKey, CancellationToken cancellationToken = default) =>
        (await ListAsync(user, workspace, cancellationToken)).FirstOrDefault(run => run.RunKey == runKey);

    /// <summary>
    /// Queues "does SFT first pay off?" on one fresh snapshot: DPO from the base model (its reference), then SFT → DPO,
    /// both with <paramref name="request"/>'s preset, overrides and seed; the stages asked for are replaced.
    /// </summary>
    public async Task<AblationRuns> StartAblationAsync(ClaimsPrincipal user, string workspace, TrainingSettings request, CancellationToken cancellationToken = default)
    {
        var userName = RequireManager(user);
        var (dpoFromBase, sftThenDpo) = (request with { Sft = false, Dpo = true }, request with { Sft = true, Dpo = true });
        sftThenDpo.Validate();
        var runs = await queue.EnqueueAblationAsync(
            new AblationRequest(workspace, request.Preset.ToString().ToLowerInvariant(), dpoFromBase.ToJson(), sftThenDpo.ToJson(), userName, settings.ResolvedRunsFolder),
            cancellationToken);
        monitor.Wake();
        monitor.NotifyChanged();
        return runs;
    }

    /// <summary>The two arms of an ablation.</summary>
    public Task<AblationRuns> GetAblationAsync(ClaimsPrincipal user, long ablationId, CancellationToken cancellationToken = default)
    {
        RequireManager(user);
        return queue.GetAblationAsync(ablationId, cancellationToken);
    }

    public async Task<TrainingRun> CancelAsync(ClaimsPrincipal user, long runId, CancellationToken cancellationToken = default)
    {
        RequireManager(user);
        var run = await queue.RequestCancelAsync(runId, cancellationToken);
        if (run.State == TrainingRunState.Running)
            monitor.RequestCancel(run.Id);
        monitor.NotifyChanged();
        return run;
    }

    public async Task<TrainingRun> ResumeAsync(ClaimsPrincipal user, long runId, CancellationToken cancellationToken = default)
    {
        var run = await queue.ResumeAsync(runId, RequireManager(user), cancellationToken);
        monitor.Wake();
        monitor.NotifyChanged();
        return run;
    }

    public Task<IReadOnlyList<TrainingRun>> ListAsync(ClaimsPrincipal user, string workspace, CancellationToken cancellationToken = default)
    {
        RequireManager(user);
        return queue.ListAsync(workspace, cancellationToken);
    }

    public Task<TrainingRun> GetAsync(ClaimsPrincipal user, long runId, CancellationToken cancellationToken = default)
    {
        RequireManager(user);
        return queue.GetAsync(runId, cancellationToken);
    }

    /// <summary>The run's metrics: the worker's latest poll for the live run, the folder's metrics.jsonl for the others.</summary>
    public IReadOnlyList<MetricPoint> Metrics(TrainingRun run) =>
        monitor.Current is { } live && live.RunId == run.Id ? live.Metrics : ReadOrEmpty(run, RunFolderReader.ReadMetrics, []);

    public RunFileStatus? Status(TrainingRun run) =>
        monitor.Current is { } live && live.RunId == run.Id ? live.Status : ReadOrEmpty(run, RunFolderReader.ReadStatus, null);

    /// <summary>The demo model first, then each succeeded run's saved stages, newest run first, its last stage first.</summary>
    public IReadOnlyList<BaseModelChoice> BaseModels(IEnumerable<TrainingRun> runs)
    {
        var choices = new List<BaseModelChoice> { new(DemoModel, null, null) };
        foreach (var run in runs.Where(r => r.State == TrainingRunState.Succeeded))
        {
            foreach (var stage in TrainerFiles.Stages.Reverse())
            {
                var folder = Path.Combine(run.RunFolder, stage);
                if (File.Exists(Path.Combine(folder, "config.json")))
                    choices.Add(new BaseModelChoice(folder, run.Id, stage));
            }
        }
        return choices;
    }

    /// <summary>A succeeded stage's model folder of the run, for download; null when there is none.</summary>
    public static string? ModelFolder(TrainingRun run, string stage) =>
        TrainerFiles.Stages.Contains(stage) && File.Exists(Path.Combine(run.RunFolder, stage, "config.json")) ? Path.Combine(run.RunFolder, stage) : null;

    public static string? ReportFile(TrainingRun run) =>
        Path.Combine(run.RunFolder, TrainerFiles.Report) is var path && File.Exists(path) ? path : null;

    private static T ReadOrEmpty<T>(TrainingRun run, Func<string, T> read, T empty)
    {
        try
        {
            return Directory.Exists(run.RunFolder) ? read(run.RunFolder) : empty;
        }
        catch (Exception error) when (error is IOException or System.Text.Json.JsonException)
        {
            return empty;
        }
    }

    private static string RequireManager(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } && user.IsInRole(AppRoles.Manager)
            ? name
            : throw new UnauthorizedAccessException("Only a manager may train models.");
}
