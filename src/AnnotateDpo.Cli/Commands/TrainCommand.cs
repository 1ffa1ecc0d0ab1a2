using System.CommandLine;
using System.Globalization;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Snapshots;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Training.Objectives;
using AnnotateDpo.Training.Pipeline;
using AnnotateDpo.Training.Trainers;
using TrainingChatMessage = AnnotateDpo.Training.Tokenization.ChatMessage;

namespace AnnotateDpo.Cli.Commands;

/// <summary>
/// <c>annotatedpo train</c>: SFT then DPO on a dataset snapshot (a new one when --snapshot is not given), headless.
/// Settings start from a preset; each option given overrides it. Ctrl+C stops at the next step boundary and leaves
/// run.json "cancelled".
/// </summary>
internal static class TrainCommand
{
    /// <summary>The conventional exit code of a run stopped by Ctrl+C (128 + SIGINT).</summary>
    public const int Cancelled = 130;

    public static Command Create()
    {
        var db = CliSupport.DatabaseOption();
        var workspace = CliSupport.WorkspaceOption();
        var snapshot = new Option<long?>("--snapshot") { Description = "Snapshot id to train on (default: snapshot the workspace now)." };
        var model = new Option<string>("--model") { Description = "Hugging Face folder of the base model.", Required = true };
        var stages = new Option<string>("--stages") { Description = "Stages to run, in order: sft, dpo or sft,dpo.", DefaultValueFactory = _ => "sft,dpo" };
        var preset = new Option<string>("--preset")
        {
            Description = $"Settings to start from: {string.Join(", ", TrainingPresets.Names)}.",
            DefaultValueFactory = _ => TrainingPresets.Default,
        };
        var loss = new Option<string?>("--loss") { Description = $"Preference loss (TRL's loss_type): {string.Join(", ", PreferenceLoss.Names)}. Default: sigmoid." };
        var beta = new Option<double?>("--beta") { Description = "DPO β. Default: 0.1." };
        var rpoAlpha = new Option<double?>("--rpo-alpha") { Description = "Weight of the NLL term on the chosen answer (RPO). Default: 0." };
        var dpopLambda = new Option<double?>("--dpop-lambda") { Description = "Weight of the DPO-Positive penalty. Default: 0." };
        var lora = new Option<bool>("--lora") { Description = "Train LoRA adapters (the default preset's choice)." };
        var full = new Option<bool>("--full") { Description = "Full fine-tuning (the demo preset's choice)." };
        var epochs = new Option<double?>("--epochs") { Description = "Epochs of every stage run." };
        var maxSteps = new Option<int?>("--max-steps") { Description = "Optimizer steps of every stage run (overrides --epochs)." };
        var lr = new Option<double?>("--lr") { Description = "Peak learning rate of every stage run." };
        var seed = new Option<int?>("--seed") { Description = "Seed of the data order and dropout. Default: 42." };
        var threads = new Option<int?>("--threads") { Description = "Torch threads (default: one per core); fix it for reproducible runs." };
        var output = new Option<string?>("--out") { Description = "Run folder (default: runs/<timestamp>-s<snapshot id>)." };
        var command = new Command("train", "Fine-tune a model on a dataset snapshot: SFT, then DPO with the SFT result as reference; writes a run folder.")
        {
            db, workspace, snapshot, model, stages, preset, loss, beta, rpoAlpha, dpopLambda, lora, full, epochs, maxSteps, lr, seed, threads, output,
        };
        command.SetAction((parse, ct) => CliSupport.RunAsync(async () =>
        {
            if (parse.GetValue(lora) && parse.GetValue(full))
                throw new ArgumentException("--lora and --full exclude each other.");
            bool? useLora = parse.GetValue(lora) ? true : parse.GetValue(full) ? false : null;
            var modelDirectory = Path.GetFullPath(parse.GetValue(model)!);
            // The settings are resolved and checked before the database is touched, so a typo costs no snapshot.
            var config = ApplyOverrides(
                TrainingPresets.Create(parse.GetValue(preset)!, "pending", modelDirectory, "pending", useLora),
                parse.GetValue(stages)!, parse.GetValue(loss), parse.GetValue(beta), parse.GetValue(rpoAlpha), parse.GetValue(dpopLambda),
                parse.GetValue(epochs), parse.GetValue(maxSteps), parse.GetValue(lr), parse.GetValue(seed), parse.GetValue(threads));
            config.Validate();

            var factory = await CliSupport.OpenDatabaseAsync(parse.GetValue(db)!, ct);
            var workspaceName = parse.GetValue(workspace)!;
            var data = await LoadSnapshotAsync(factory, workspaceName, parse.GetValue(snapshot), ct);
            var runId = parse.GetValue(output) is { } explicitOut
                ? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(explicitOut)))
                : string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-s{data.Id}");
            var runFolder = Path.GetFullPath(parse.GetValue(output) ?? Path.Combine(AppPaths.RunsFolder, runId));
            config = config with
            {
                RunId = runId,
                OutputDirectory = runFolder,
                Workspace = workspaceName,
                SnapshotId = data.Id,
                SnapshotHash = data.ContentHash,
            };

            var (sftTrain, sftEval) = Split(data.SftItems, i => i.Split, i => new SftSample(Convert(i.Messages)));
            var (pairTrain, pairEval) = Split(data.PairItems, i => i.Split, i => new PreferenceSample(Convert(i.Prompt), i.Chosen, i.Rejected));
            if (config.Runs(TrainingStage.Sft) && sftTrain.Count == 0)
                throw new ArgumentException(
                    $"Snapshot {data.Id} of workspace '{workspaceName}' has no approved SFT examples to train on; approve some, or run --stages dpo.");
            if (config.Runs(TrainingStage.Dpo) && pairTrain.Count == 0)
                throw new ArgumentException(
                    $"Snapshot {data.Id} of workspace '{workspaceName}' has no resolved preference pairs to train on; judge some, or run --stages sft.");
            Console.WriteLine($"snapshot {data.Id} {data.ContentHash}: sft {sftTrain.Count} train / {sftEval.Count} eval, pairs {pairTrain.Count} train / {pairEval.Count} eval");
            Console.WriteLine($"run {runId} ({config.Preset} preset, {(config.Lora is null ? "full fine-tuning" : $"LoRA r={config.Lora.Rank}")}) → {runFolder}");

            var result = await new TrainingPipeline().RunAsync(config, sftTrain, sftEval, pairTrain, pairEval, new ConsoleProgress(), ct);
            PrintSummary(result);
            return result.State == RunState.Cancelled ? Cancelled : ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The preset with each given option applied; --epochs, --max-steps and --lr apply to every stage.</summary>
    internal static TrainingRunConfig ApplyOverrides(TrainingRunConfig config, string stages, string? loss, double? beta,
        double? rpoAlpha, double? dpopLambda, double? epochs, int? maxSteps, double? lr, int? seed, int? threads)
    {
        StageSettings Override(StageSettings stage) => stage with
        {
            Epochs = epochs ?? stage.Epochs,
            MaxSteps = maxSteps ?? stage.MaxSteps,
            LearningRate = lr ?? stage.LearningRate,
        };

        return config with
        {
            Stages = TrainingRunConfig.ParseStages(stages),
            Sft = Override(config.Sft),
            Dpo = Override(config.Dpo),
            Loss = config.Loss with
            {
                Type = loss ?? config.Loss.Type,
                Beta = beta ?? config.Loss.Beta,
                RpoAlpha = rpoAlpha ?? config.Loss.RpoAlpha,
                DpopLambda = dpopLambda ?? config.Loss.DpopLambda,
            },
            Seed = seed ?? config.Seed,
            Threads = threads ?? config.Threads,
        };
    }

    private static async Task<DatasetSnapshot> LoadSnapshotAsync(
        AnnotateDbContextFactory factory, string workspaceName, long? snapshotId, CancellationToken cancellationToken)
    {
        var service = new SnapshotService(factory, TimeProvider.System);
        if (snapshotId is not { } given)
        {
            var created = await service.CreateAsync(new SnapshotRequest(workspaceName), cancellationToken);
            return await service.GetAsync(created.Snapshot.Id, cancellationToken);
        }

        long workspaceId;
        await using (var db = factory.CreateDbContext())
            workspaceId = (await WorkspaceLookup.GetAsync(db, workspaceName, cancellationToken)).Id;
        var snapshot = await service.GetAsync(given, cancellationToken);
        return snapshot.WorkspaceId == workspaceId
            ? snapshot
            : throw new ArgumentException($"Snapshot {given} belongs to another workspace than '{workspaceName}'.");
    }

    private static (List<TSample> Train, List<TSample> Eval) Split<TItem, TSample>(
        IEnumerable<TItem> items, Func<TItem, DatasetSplit> split, Func<TItem, TSample> convert)
    {
        var list = items.ToList();
        return (list.Where(i => split(i) == DatasetSplit.Train).Select(convert).ToList(),
            list.Where(i => split(i) == DatasetSplit.Eval).Select(convert).ToList());
    }

    private static List<TrainingChatMessage> Convert(IEnumerable<ChatMessage> messages) =>
        messages.Select(m => new TrainingChatMessage(m.Role, m.Content)).ToList();

    private static void PrintSummary(PipelineResult result)
    {
        var status = result.Status;
        foreach (var (name, stage) in status.Stages)
        {
            var line = $"{name}: {stage.State.ToString().ToLowerInvariant()}, {stage.Steps}/{stage.TotalSteps} steps in {Number(stage.TrainSeconds, "F1")} s";
            if (stage.InitialEval?.GetValueOrDefault(TrainingMetrics.EvalPrefix + TrainingMetrics.Loss) is { } before
                && stage.FinalEval?.GetValueOrDefault(TrainingMetrics.EvalPrefix + TrainingMetrics.Loss) is { } after)
                line += $", eval_loss {Number(before, "F4")} → {Number(after, "F4")}";
            if (stage.FinalEval is { } eval && eval.TryGetValue(TrainingMetrics.EvalPrefix + TrainingMetrics.RewardsAccuracies, out var accuracy))
                line += $", eval_rewards/accuracies {Number(accuracy, "F3")}, eval_rewards/margins {Number(eval[TrainingMetrics.EvalPrefix + TrainingMetrics.RewardsMargins], "F4")}";
            Console.WriteLine(line);
        }
        Console.WriteLine($"{status.State.ToString().ToLowerInvariant()} in {Number(status.TotalSeconds ?? 0, "F1")} s: {result.RunFolder}");
    }

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Prints each event as it happens (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class ConsoleProgress : IProgress<PipelineEvent>
    {
        public void Report(PipelineEvent value)
        {
            var stage = RunLog.StageName(value.Stage);
            var line = value switch
            {
                StageStartedEvent started => $"{stage}: {started.TrainCount} train / {started.EvalCount} eval, {started.TotalSteps} steps",
                StageProgressEvent { Event: TrainingStepEvent step } => StepLine(stage, step),
                StageProgressEvent { Event: EvaluationEvent eval } => EvalLine(stage, eval),
                StageSavedEvent saved => $"{stage} saved to {saved.Folder}{(saved.AdapterFolder is null ? "" : $" (adapter: {saved.AdapterFolder})")}",
                StageFinishedEvent { Cancelled: true } => $"{stage} cancelled",
                _ => null,
            };
            if (line is not null)
                Console.WriteLine(line);
        }

        private static string StepLine(string stage, TrainingStepEvent step)
        {
            var m = step.Metrics;
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{stage} step {step.Step}/{step.TotalSteps} loss {m[TrainingMetrics.Loss]:F4} lr {m[TrainingMetrics.LearningRate]:0.0e+0} tok/s {m[TrainingMetrics.TokensPerSecond]:F0}");
            if (m.TryGetValue(TrainingMetrics.RewardsMargins, out var margin))
                line += string.Create(CultureInfo.InvariantCulture, $" margin {margin:F4} acc {m[TrainingMetrics.RewardsAccuracies]:F2}");
            return line;
        }

        private static string EvalLine(string stage, EvaluationEvent eval)
        {
            var names = new[] { TrainingMetrics.Loss, TrainingMetrics.RewardsAccuracies, TrainingMetrics.RewardsMargins, TrainingMetrics.Perplexity };
            var parts = names.Select(n => TrainingMetrics.EvalPrefix + n)
                .Where(eval.Metrics.ContainsKey)
                .Select(n => string.Create(CultureInfo.InvariantCulture, $"{n} {eval.Metrics[n]:F4}"));
            return $"{stage} eval step {eval.Step}/{eval.TotalSteps} {string.Join(" ", parts)}";
        }
    }
}
