using System.CommandLine;
using System.Globalization;
using AnnotateDpo.Training.Diagnostics;
using AnnotateDpo.Training.Objectives;
using AnnotateDpo.Training.Pipeline;

namespace AnnotateDpo.Cli.Commands;

/// <summary>
/// <c>annotatedpo train</c>: SFT then DPO on a dataset snapshot (a new one when --snapshot is not given), headless.
/// Settings start from a preset (or a config file); each option given overrides them. The run folder is --out, else
/// --runs/--run-id, so a caller that starts this as a child process knows the folder before it starts. Ctrl+C,
/// SIGTERM or a <c>cancel</c> file in the run folder stops at the next step boundary, checkpoints, and leaves run.json
/// "cancelled"; <c>annotatedpo runs resume</c> continues it.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var db = CliSupport.DatabaseOption();
        var workspace = CliSupport.WorkspaceOption();
        var snapshot = new Option<long?>("--snapshot") { Description = "Snapshot id to train on (default: snapshot the workspace now)." };
        var model = new Option<string>("--model") { Description = "Hugging Face folder of the base model.", Required = true };
        var stages = new Option<string?>("--stages") { Description = "Stages to run, in order: sft, dpo or sft,dpo. Default: sft,dpo." };
        var preset = new Option<string>("--preset")
        {
            Description = $"Settings to start from: {string.Join(", ", TrainingPresets.Names)}.",
            DefaultValueFactory = _ => TrainingPresets.Default,
        };
        var configFile = new Option<string?>("--config") { Description = "A run config.json to start from instead of the preset (e.g. an earlier run's)." };
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
        var checkpointSteps = new Option<int?>("--checkpoint-steps") { Description = "Checkpoint every this many steps of a stage; 0: never. Default: about four per stage." };
        var overflow = new Option<string?>("--sequence-overflow") { Description = "A sample longer than the model's context: truncate (default, counted as a warning) or reject." };
        var set = new Option<string[]>("--set")
        {
            Description = $"SETTING=VALUE: one setting of config.json to change after the others (a run alert's remedy); repeatable. Settings: {string.Join(", ", ConfigChange.Settings)}.",
            AllowMultipleArgumentsPerToken = false,
        };
        var runs = CliSupport.RunsOption();
        var runId = new Option<string?>("--run-id") { Description = "The run's id, its folder's name under --runs (default: <timestamp>-s<snapshot id>)." };
        var output = new Option<string?>("--out") { Description = "Run folder (overrides --runs and --run-id)." };
        var command = new Command("train", "Fine-tune a model on a dataset snapshot: SFT, then DPO with the SFT result as reference; writes a run folder.")
        {
            db, workspace, snapshot, model, stages, preset, configFile, loss, beta, rpoAlpha, dpopLambda, lora, full, epochs, maxSteps, lr, seed, threads,
            checkpointSteps, overflow, set, runs, runId, output,
        };
        command.SetAction((parse, ct) => CliSupport.RunAsync(async () =>
        {
            if (parse.GetValue(lora) && parse.GetValue(full))
                throw new ArgumentException("--lora and --full exclude each other.");
            bool? useLora = parse.GetValue(lora) ? true : parse.GetValue(full) ? false : null;
            var modelDirectory = Path.GetFullPath(parse.GetValue(model)!);
            var start = parse.GetValue(configFile) is { } path
                ? TrainingRunConfig.Load(path) with { ModelDirectory = modelDirectory }
                : TrainingPresets.Create(parse.GetValue(preset)!, "pending", modelDirectory, "pending", useLora);
            // The settings are resolved and checked before the database is touched, so a typo costs no snapshot.
            var config = ApplyOverrides(start,
                parse.GetValue(stages), parse.GetValue(loss), parse.GetValue(beta), parse.GetValue(rpoAlpha), parse.GetValue(dpopLambda),
                parse.GetValue(epochs), parse.GetValue(maxSteps), parse.GetValue(lr), parse.GetValue(seed), parse.GetValue(threads));
            config = config with
            {
                CheckpointSteps = parse.GetValue(checkpointSteps) ?? config.CheckpointSteps,
                SequenceOverflow = parse.GetValue(overflow) is { } policy ? ParseOverflow(policy) : config.SequenceOverflow,
            };
            config = (parse.GetValue(set) ?? []).Select(ParseChange).Aggregate(config, (current, change) => change.Apply(current));
            config.Validate();
            if (parse.GetValue(runId) is { } givenId && (givenId.Length == 0 || givenId.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0))
                throw new ArgumentException($"--run-id '{givenId}' must be a non-empty file name.");

            var factory = await CliSupport.OpenDatabaseAsync(parse.GetValue(db)!, ct);
            var workspaceName = parse.GetValue(workspace)!;
            var data = await SnapshotTrainingData.LoadAsync(factory, workspaceName, parse.GetValue(snapshot), ct);
            var snapshotData = data.Snapshot;
            var id = parse.GetValue(output) is { } explicitOut
                ? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(explicitOut)))
                : parse.GetValue(runId) ?? string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-s{snapshotData.Id}");
            var runFolder = Path.GetFullPath(parse.GetValue(output) ?? Path.Combine(parse.GetValue(runs)!, id));
            config = config with
            {
                RunId = id,
                OutputDirectory = runFolder,
                Workspace = workspaceName,
                SnapshotId = snapshotData.Id,
                SnapshotHash = snapshotData.ContentHash,
            };

            if (config.Runs(TrainingStage.Sft) && data.SftTrain.Count == 0)
                throw new ArgumentException(
                    $"Snapshot {snapshotData.Id} of workspace '{workspaceName}' has no approved SFT examples to train on; approve some, or run --stages dpo.");
            if (config.Runs(TrainingStage.Dpo) && data.PairTrain.Count == 0)
                throw new ArgumentException(
                    $"Snapshot {snapshotData.Id} of workspace '{workspaceName}' has no resolved preference pairs to train on; judge some, or run --stages sft.");
            Console.WriteLine($"snapshot {snapshotData.Id} {snapshotData.ContentHash}: sft {data.SftTrain.Count} train / {data.SftEval.Count} eval, pairs {data.PairTrain.Count} train / {data.PairEval.Count} eval");
            Console.WriteLine($"run {id} ({config.Preset} preset, {(config.Lora is null ? "full fine-tuning" : $"LoRA r={config.Lora.Rank}")}) → {runFolder}");

            return await RunConsole.RunAsync(runFolder, () => new TrainingPipeline().RunAsync(
                config, data.SftTrain, data.SftEval, data.PairTrain, data.PairEval, new RunConsole.ConsoleProgress(config), ct));
        }));
        return command;
    }

    private static ConfigChange ParseChange(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == text.Length - 1)
            throw new ArgumentException($"--set '{text}' must read SETTING=VALUE, e.g. preference_loss.rpo_alpha=1.");
        return new ConfigChange(text[..equals].Trim(), text[(equals + 1)..].Trim());
    }

    internal static SequenceOverflow ParseOverflow(string name) => name.Trim().ToLowerInvariant() switch
    {
        "truncate" => SequenceOverflow.Truncate,
        "reject" => SequenceOverflow.Reject,
        _ => throw new ArgumentException($"--sequence-overflow '{name}' is unknown; valid values are: truncate, reject."),
    };

    /// <summary>The preset with each given option applied; --epochs, --max-steps and --lr apply to every stage.</summary>
    internal static TrainingRunConfig ApplyOverrides(TrainingRunConfig config, string? stages, string? loss, double? beta,
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
            Stages = stages is null ? config.Stages : TrainingRunConfig.ParseStages(stages),
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

}
