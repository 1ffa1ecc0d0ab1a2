using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AnnotateDpo.Core.Evaluation;
using AnnotateDpo.Training.Diagnostics;
using AnnotateDpo.Training.Pipeline;

namespace AnnotateDpo.Cli.Commands;

/// <summary>
/// <c>annotatedpo runs list|show|cancel|resume|diagnose</c> over a folder of run folders. A run left "running" by a process
/// that is gone is listed as interrupted; resume continues it (or a cancelled or failed one) from its last checkpoint.
/// </summary>
internal static class RunsCommand
{
    public static Command Create()
    {
        var command = new Command("runs", "Training runs in a runs folder: list, show, cancel, resume, diagnose the train split.");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateShow());
        command.Subcommands.Add(CreateCancel());
        command.Subcommands.Add(CreateResume());
        command.Subcommands.Add(CreateDiagnose());
        return command;
    }

    private static Argument<string> RunIdArgument() => new("id") { Description = "The run id (its folder's name under --runs)." };

    private static string RunFolder(string runs, string id)
    {
        var folder = Path.GetFullPath(Path.Combine(runs, id));
        return File.Exists(Path.Combine(folder, RunStatus.FileName))
            ? folder
            : throw new DirectoryNotFoundException($"There is no run '{id}' in {Path.GetFullPath(runs)}; `annotatedpo runs list --runs {runs}` lists them.");
    }

    private static Command CreateList()
    {
        var runs = CliSupport.RunsOption();
        var command = new Command("list", "One line per run, newest first: id, state, stages with steps, start time.") { runs };
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(runs)!;
            var statuses = Directory.Exists(folder)
                ? Directory.GetDirectories(folder).Where(d => File.Exists(Path.Combine(d, RunStatus.FileName))).Select(RunStatus.Observe).ToList()
                : [];
            foreach (var status in statuses.OrderByDescending(s => s.StartedAt))
            {
                var stages = string.Join(" ", status.Stages.Select(s => $"{s.Key} {s.Value.Steps}/{s.Value.TotalSteps}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{status.RunId}\t{StateName(status.State)}\t{stages}\t{status.StartedAt:u}"));
            }
            if (statuses.Count == 0)
                Console.WriteLine($"no runs in {Path.GetFullPath(folder)}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateShow()
    {
        var runs = CliSupport.RunsOption();
        var id = RunIdArgument();
        var command = new Command("show", "The run's run.json, with a dead \"running\" run shown as interrupted.") { id, runs };
        command.SetAction(parse => CliSupport.RunAsync(() =>
        {
            var status = RunStatus.Observe(RunFolder(parse.GetValue(runs)!, parse.GetValue(id)!));
            Console.WriteLine(JsonSerializer.Serialize(status, TrainingRunConfig.JsonOptions));
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    private static Command CreateCancel()
    {
        var runs = CliSupport.RunsOption();
        var id = RunIdArgument();
        var command = new Command("cancel", "Asks a running run to stop: it checkpoints at its next step boundary and ends \"cancelled\".") { id, runs };
        command.SetAction(parse => CliSupport.RunAsync(() =>
        {
            var folder = RunFolder(parse.GetValue(runs)!, parse.GetValue(id)!);
            var status = RunStatus.Observe(folder);
            if (status.State != RunState.Running)
                throw new ArgumentException($"Run {status.RunId} is {StateName(status.State)}, not running; there is nothing to cancel.");
            RunFiles.RequestCancel(folder);
            Console.WriteLine($"cancel requested: {Path.Combine(folder, RunFiles.CancelFileName)}");
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    private static Command CreateResume()
    {
        var runs = CliSupport.RunsOption();
        var id = RunIdArgument();
        var db = CliSupport.DatabaseOption();
        var command = new Command("resume",
            "Continues a cancelled, failed or interrupted run from its last checkpoint on the same snapshot (checked by hash), to the same result as an uninterrupted run.")
        {
            id, runs, db,
        };
        command.SetAction((parse, ct) => CliSupport.RunAsync(async () =>
        {
            var folder = RunFolder(parse.GetValue(runs)!, parse.GetValue(id)!);
            var status = RunStatus.Observe(folder);
            if (status.State is RunState.Completed or RunState.Running)
                throw new ArgumentException($"Run {status.RunId} is {StateName(status.State)}; only a cancelled, failed or interrupted run can be resumed.");
            var data = await RunDataAsync(status, parse.GetValue(db)!, "resume", ct);
            Console.WriteLine($"resuming run {status.RunId} ({StateName(status.State)}) on snapshot {data.Snapshot.Id} {data.Snapshot.ContentHash}");
            return await RunConsole.RunAsync(folder, () => new TrainingPipeline().ResumeAsync(
                folder, data.SftTrain, data.SftEval, data.PairTrain, data.PairEval,
                new RunConsole.ConsoleProgress(TrainingRunConfig.Load(Path.Combine(folder, TrainingRunConfig.FileName))), ct));
        }));
        return command;
    }

    private static Command CreateDiagnose()
    {
        var runs = CliSupport.RunsOption();
        var id = RunIdArgument();
        var db = CliSupport.DatabaseOption();
        var progress = new Option<string?>("--progress") { Description = "A file to keep rewriting with the progress as JSON ({done, total, phase})." };
        var command = new Command("diagnose",
            "The per-pair diagnostics of a finished run's train split: scores its train pairs under the DPO reference and the final DPO model into train_pairs.jsonl, for the dynamics page.")
        {
            id, runs, db, progress,
        };
        command.SetAction((parse, ct) => CliSupport.RunAsync(async () =>
        {
            var folder = RunFolder(parse.GetValue(runs)!, parse.GetValue(id)!);
            var status = RunStatus.Load(folder);
            var data = await RunDataAsync(status, parse.GetValue(db)!, "diagnose", ct);
            var progressFile = parse.GetValue(progress);
            new JobProgress(0, 2, JobProgress.Loading).Write(progressFile);
            var file = TrainSplitDiagnosis.Write(folder, data.PairTrain, done => new JobProgress(done, 2, JobProgress.Generating).Write(progressFile), ct);
            var config = TrainingRunConfig.Load(Path.Combine(folder, TrainingRunConfig.FileName));
            var summary = PairDiagnostics.Compute(RunLogReader.ReadTrainPairs(folder), config.Loss.Beta).Summary;
            new JobProgress(2, 2, JobProgress.Finished).Write(progressFile);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"train split of run {status.RunId}: {summary.Count} pairs, mean Δlog p_w {summary.MeanDeltaChosen:F2}, mean Δlog p_l {summary.MeanDeltaRejected:F2}, {summary.DisplacementCount} displaced, {summary.SuppressionCount} suppressed, {summary.NearIdenticalCount} near-identical, {summary.LengthDrivenWinCount} won by length: {file}"));
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The run's snapshot as the trainer takes it, refused when its content no longer hashes as the run recorded.</summary>
    private static async Task<SnapshotTrainingData> RunDataAsync(RunStatus status, string database, string action, CancellationToken cancellationToken)
    {
        if (status.Workspace is not { } workspace || status.SnapshotId is not { } snapshotId)
            throw new InvalidDataException($"Run {status.RunId} records no workspace and snapshot, so its data cannot be reloaded.");
        var factory = await CliSupport.OpenDatabaseAsync(database, cancellationToken);
        var data = await SnapshotTrainingData.LoadAsync(factory, workspace, snapshotId, cancellationToken);
        return data.Snapshot.ContentHash == status.SnapshotHash
            ? data
            : throw new InvalidDataException(
                $"Snapshot {snapshotId} now hashes to {data.Snapshot.ContentHash}, but run {status.RunId} trained on {status.SnapshotHash}; {action} needs the same data (is --db the run's database?).");
    }

    private static string StateName(RunState state) => JsonSerializer.Serialize(state).Trim('"');
}
