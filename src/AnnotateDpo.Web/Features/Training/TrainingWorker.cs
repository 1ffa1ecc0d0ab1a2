using System.Diagnostics;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Core.Training;
using AnnotateDpo.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AnnotateDpo.Web.Features.Training;

/// <summary>
/// Trains the queued runs one at a time, each in a child process (the CLI), so that a native crash or running out of
/// memory ends the run, not the web app. It follows run.json and metrics.jsonl for progress, passes cancel requests on
/// through the run folder's cancel file, and marks the run's row from the trainer's exit code. At start-up, runs left
/// "running" by an app that stopped are marked interrupted (and any trainer of theirs still alive is asked to stop).
/// </summary>
internal sealed class TrainingWorker(
    TrainingRunQueue queue,
    TrainingMonitor monitor,
    AnnotateDbContextFactory dbFactory,
    IOptions<TrainingOptions> options,
    CliLauncher cli,
    ILogger<TrainingWorker> logger) : BackgroundService
{
    private const int ErrorLinesKept = 20;

    private readonly TrainingOptions settings = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await InterruptAbandonedAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
                await TrainNextAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // A run being trained is left "running": the next start-up marks it interrupted, and it resumes from the
            // checkpoint its trainer wrote as it was asked to stop.
        }
    }

    private async Task InterruptAbandonedAsync(CancellationToken stoppingToken)
    {
        foreach (var run in await queue.InterruptAbandonedAsync(stoppingToken))
        {
            logger.LogWarning("Training run {RunId} was running when the app stopped; marked interrupted", run.Id);
            if (RunFolderReader.ReadStatus(run.RunFolder) is { State: "running" })
                // Its trainer may have outlived the app; asked to stop, it checkpoints and makes way for a resume.
                TrainerFiles.RequestCancel(run.RunFolder);
        }
        monitor.NotifyChanged();
    }

    private async Task TrainNextAsync(CancellationToken stoppingToken)
    {
        var run = await queue.StartNextAsync(stoppingToken);
        if (run is null)
        {
            await monitor.WaitForWorkAsync(TimeSpan.FromSeconds(5), stoppingToken);
            return;
        }
        monitor.NotifyChanged();
        try
        {
            await TrainAsync(run, stoppingToken);
        }
        finally
        {
            monitor.ForgetCancel(run.Id);
            monitor.Publish(null);
        }
    }

    private async Task TrainAsync(TrainingRun run, CancellationToken stoppingToken)
    {
        var commandLine = new TrainerCommandLine(settings, cli, dbFactory.Target);
        if (cli.Problem is { } problem)
        {
            await queue.FinishAsync(run.Id, TrainingRunState.Failed, problem, stoppingToken);
            return;
        }
        var resume = run.ResumeRequested && File.Exists(TrainerFiles.StatusFile(run.RunFolder));
        ProcessStartInfo start;
        if (resume)
        {
            start = commandLine.Resume(run);
        }
        else
        {
            await using var db = dbFactory.CreateDbContext();
            var workspace = await db.Workspaces.Where(w => w.Id == run.WorkspaceId).Select(w => w.Name).SingleAsync(stoppingToken);
            start = commandLine.Train(run, workspace, TrainingSettings.FromJson(run.SettingsJson));
        }
        Directory.CreateDirectory(Path.GetDirectoryName(run.RunFolder)!);
        logger.LogInformation("Training run {RunId}: {Command}", run.Id, string.Join(" ", start.ArgumentList.Where(a => !a.Contains("Password=", StringComparison.OrdinalIgnoreCase))));

        var errors = new Queue<string>();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
                logger.LogDebug("run {RunId}: {Line}", run.Id, text);
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not { Length: > 0 } text)
                return;
            lock (errors)
            {
                errors.Enqueue(text);
                if (errors.Count > ErrorLinesKept)
                    errors.Dequeue();
            }
        };
        process.Start();
        if (OperatingSystem.IsWindows())
            process.PriorityClass = ProcessPriorityClass.BelowNormal;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var tail = new MetricsTail(run.RunFolder);
        string? publishedState = null;
        try
        {
            var exited = process.WaitForExitAsync(CancellationToken.None);
            while (!exited.IsCompleted)
            {
                await Task.WhenAny(exited, Task.Delay(settings.PollInterval, stoppingToken));
                stoppingToken.ThrowIfCancellationRequested();
                Follow(run, tail, ref publishedState);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await StopForShutdownAsync(run, process);
            throw;
        }
        await process.WaitForExitAsync(CancellationToken.None);
        Follow(run, tail, ref publishedState);

        string[] errorLines;
        lock (errors)
            errorLines = [.. errors];
        var (outcome, error) = Outcome(process.ExitCode, RunFolderReader.ReadStatus(run.RunFolder), errorLines);
        logger.LogInformation("Training run {RunId} ended {Outcome} (exit code {ExitCode})", run.Id, outcome, process.ExitCode);
        await queue.FinishAsync(run.Id, outcome, error, CancellationToken.None);
    }

    /// <summary>
    /// Publishes the run's files when they changed, and passes a pending cancel request on once the trainer has its
    /// folder. <paramref name="publishedState"/> is run.json's state as last published.
    /// </summary>
    private void Follow(TrainingRun run, MetricsTail tail, ref string? publishedState)
    {
        RunFileStatus? status;
        bool newMetrics;
        try
        {
            status = RunFolderReader.ReadStatus(run.RunFolder);
            newMetrics = tail.Poll();
        }
        catch (Exception error) when (error is IOException or System.Text.Json.JsonException)
        {
            logger.LogDebug(error, "Run {RunId}: files busy, read again at the next poll", run.Id);
            return;
        }
        if (status is not null && monitor.IsCancelRequested(run.Id) && !File.Exists(Path.Combine(run.RunFolder, TrainerFiles.Cancel)))
            // Written only once run.json exists: the trainer clears a stale cancel file as it starts.
            TrainerFiles.RequestCancel(run.RunFolder);
        if (!newMetrics && status?.State == publishedState && monitor.Current?.RunId == run.Id)
            return;
        publishedState = status?.State;
        monitor.Publish(new LiveRun(run.Id, status, [.. tail.Points]));
    }

    private async Task StopForShutdownAsync(TrainingRun run, Process process)
    {
        if (Directory.Exists(run.RunFolder))
            TrainerFiles.RequestCancel(run.RunFolder);
        using var grace = new CancellationTokenSource(settings.ShutdownGrace);
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Training run {RunId} did not stop within {Grace}; killing its trainer", run.Id, settings.ShutdownGrace);
            process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>The row's outcome from the trainer's exit code (0 completed, 2 invalid input, 130 cancelled, else failed).</summary>
    internal static (TrainingRunState Outcome, string? Error) Outcome(int exitCode, RunFileStatus? status, IReadOnlyList<string> errorLines)
    {
        var message = string.Join(Environment.NewLine, errorLines.Where(l => l.StartsWith("error:", StringComparison.Ordinal)).Select(l => l["error:".Length..].Trim()));
        return exitCode switch
        {
            0 => (TrainingRunState.Succeeded, null),
            TrainerFiles.ExitCancelled => (TrainingRunState.Cancelled, null),
            TrainerFiles.ExitInvalidInput => (TrainingRunState.Failed, message.Length > 0 ? message : string.Join(Environment.NewLine, errorLines)),
            _ when status is { State: "failed", Error: { Length: > 0 } recorded } => (TrainingRunState.Failed, recorded),
            _ => (TrainingRunState.Failed,
                $"The trainer exited with code {exitCode} before finishing (a crash, or out of memory); resume continues from its last checkpoint."
                + (errorLines.Count > 0 ? Environment.NewLine + string.Join(Environment.NewLine, errorLines.TakeLast(5)) : "")),
        };
    }
}
