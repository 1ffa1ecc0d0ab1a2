using System.Diagnostics;
using AnnotateDpo.Training.Hf;
using AnnotateDpo.Training.Lora;
using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.Objectives;
using AnnotateDpo.Training.Runtime;
using AnnotateDpo.Training.Tokenization;
using AnnotateDpo.Training.Trainers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Pipeline;

/// <summary>What a pipeline run left: its folder and final run.json.</summary>
public sealed record PipelineResult(string RunFolder, RunStatus Status)
{
    public RunState State => Status.State;
}

/// <summary>
/// SFT, then DPO, on one model, writing a run folder:
/// <code>
/// config.json        the resolved <see cref="TrainingRunConfig"/>
/// run.json           status (running, completed, cancelled, failed), snapshot, timings, per-stage metrics
/// metrics.jsonl      one line per step or eval pass: stage, type, step and TRL-named metrics
/// eval_pairs.jsonl   one line per DPO eval pass: each eval pair's chosen and rejected log-probabilities
/// sft/  dpo/         each stage's model as a Hugging Face folder with the tokenizer files; with LoRA also adapter/
/// </code>
/// The DPO reference is the SFT result. With LoRA, the SFT adapter is saved, then merged into the base
/// (<see cref="LoraAdapter.MergeAndUnload"/>), and DPO trains a fresh adapter on that merged model, whose adapter-off
/// forward pass is exactly the SFT model: the reference costs no second copy, and <c>dpo/adapter</c> applies on top of
/// <c>sft/</c>. With full fine-tuning the reference is the policy as DPO starts (scored once, before the first step).
/// A cancelled run stops at a step boundary and leaves run.json "cancelled" and the models of finished stages.
/// </summary>
public sealed class TrainingPipeline(ILogger<TrainingPipeline>? logger = null, ILogger<Trainer>? trainerLogger = null)
{
    public const string AdapterFolderName = "adapter";

    private readonly ILogger logger = logger ?? NullLogger<TrainingPipeline>.Instance;

    /// <summary>Runs <see cref="Run"/> on a worker thread.</summary>
    public Task<PipelineResult> RunAsync(
        TrainingRunConfig config,
        IReadOnlyList<SftSample> sftTrain,
        IReadOnlyList<SftSample> sftEval,
        IReadOnlyList<PreferenceSample> pairTrain,
        IReadOnlyList<PreferenceSample> pairEval,
        IProgress<PipelineEvent>? progress = null,
        CancellationToken cancellationToken = default) =>
        Task.Run(() => Run(config, sftTrain, sftEval, pairTrain, pairEval, progress, cancellationToken), CancellationToken.None);

    /// <summary>
    /// Checks the config, the data and the model before anything is written (an <see cref="ArgumentException"/>,
    /// <see cref="DirectoryNotFoundException"/> or <see cref="InvalidDataException"/> leaves no run folder), then trains.
    /// Cancellation returns a result with <see cref="RunState.Cancelled"/>; a failure is recorded in run.json and rethrown.
    /// </summary>
    public PipelineResult Run(
        TrainingRunConfig config,
        IReadOnlyList<SftSample> sftTrain,
        IReadOnlyList<SftSample> sftEval,
        IReadOnlyList<PreferenceSample> pairTrain,
        IReadOnlyList<PreferenceSample> pairEval,
        IProgress<PipelineEvent>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (config.Runs(TrainingStage.Sft) && sftTrain.Count == 0)
            throw new ArgumentException("There are no SFT training examples (approved, train split) to run the sft stage on.");
        if (config.Runs(TrainingStage.Dpo) && pairTrain.Count == 0)
            throw new ArgumentException("There are no preference pairs (resolved, train split) to run the dpo stage on.");
        if (!Directory.Exists(config.ModelDirectory))
            throw new DirectoryNotFoundException($"The model folder {config.ModelDirectory} does not exist.");
        var runFolder = Path.GetFullPath(config.OutputDirectory);
        if (File.Exists(Path.Combine(runFolder, RunStatus.FileName)))
            throw new ArgumentException($"{runFolder} already holds a run; choose another --out.");

        TorchRuntime.EnsureInitialized();
        var device = TorchDevice.Select();
        using var tokenizer = HfTokenizer.Load(config.ModelDirectory);
        var format = ChatFormats.For(tokenizer, config.ChatFormat);
        var lossOptions = config.Loss.ToOptions();
        var sft = config.Runs(TrainingStage.Sft) ? new SftObjective(sftTrain, sftEval, tokenizer, format) : null;
        var dpo = config.Runs(TrainingStage.Dpo) ? new DpoObjective(pairTrain, pairEval, tokenizer, format, lossOptions) : null;
        using var model = HfModelLoader.Load(config.ModelDirectory, device.Device, device.TrainingDtype);

        Directory.CreateDirectory(runFolder);
        File.WriteAllText(Path.Combine(runFolder, TrainingRunConfig.FileName), config.ToJson());
        var clock = Stopwatch.StartNew();
        var status = new RunStatus
        {
            RunId = config.RunId,
            Workspace = config.Workspace,
            SnapshotId = config.SnapshotId,
            SnapshotHash = config.SnapshotHash,
            Device = device.ToString(),
            StartedAt = DateTimeOffset.UtcNow,
        };
        status.Save(runFolder);
        logger.LogInformation("Run {RunId}: {Stages} on {Device} into {Folder}", config.RunId, string.Join(",", config.Stages), device, runFolder);

        try
        {
            using var log = new RunLog(runFolder);
            var baseFolder = Path.GetFullPath(config.ModelDirectory);
            foreach (var stage in config.Stages)
            {
                var context = new StageContext(config, runFolder, baseFolder, model, log, progress);
                status.Stages[RunLog.StageName(stage)] = new StageSummary { State = RunState.Running };
                status.Save(runFolder);
                var summary = stage == TrainingStage.Sft
                    ? RunStage(stage, context, sft!, withAdapter: null, cancellationToken)
                    : RunStage(stage, context, dpo!,
                        adapter => new DpoObjective(pairTrain, pairEval, tokenizer, format, lossOptions, adapter), cancellationToken);
                status.Stages[RunLog.StageName(stage)] = summary;
                if (summary.State == RunState.Cancelled)
                    return Finish(runFolder, status, RunState.Cancelled, clock);
                status.Save(runFolder);
                baseFolder = Path.Combine(runFolder, summary.ModelFolder!);
            }
            return Finish(runFolder, status, RunState.Completed, clock);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            foreach (var name in status.Stages.Where(s => s.Value.State == RunState.Running).Select(s => s.Key).ToList())
                status.Stages[name] = status.Stages[name] with { State = RunState.Cancelled };
            return Finish(runFolder, status, RunState.Cancelled, clock);
        }
        catch (Exception error)
        {
            logger.LogError(error, "Run {RunId} failed", config.RunId);
            Finish(runFolder, status with { Error = error.Message }, RunState.Failed, clock);
            throw;
        }
    }

    private sealed record StageContext(
        TrainingRunConfig Config, string RunFolder, string BaseFolder, CausalLM Model, RunLog Log, IProgress<PipelineEvent>? Progress);

    /// <param name="withAdapter">Rebuilds the objective around a LoRA adapter (DPO needs it for its reference).</param>
    private StageSummary RunStage(TrainingStage stage, StageContext context, ITrainingObjective objective,
        Func<LoraAdapter, ITrainingObjective>? withAdapter, CancellationToken cancellationToken)
    {
        var (config, model) = (context.Config, context.Model);
        var settings = stage == TrainingStage.Sft ? config.Sft : config.Dpo;
        var adapter = config.Lora is { } lora ? LoraAdapter.Apply(model, lora.ToLoraConfig(model.Config), ScalarType.Float32) : null;
        if (adapter is not null && withAdapter is not null)
            objective = withAdapter(adapter);
        var options = settings.ToTrainerOptions(objective.TrainCount, config.Seed, config.Threads);
        var totalSteps = settings.TotalSteps(objective.TrainCount);
        context.Progress?.Report(new StageStartedEvent(stage, objective.TrainCount, objective.EvalCount, totalSteps));

        var stageClock = Stopwatch.StartNew();
        var reporter = new InlineProgress(trainingEvent =>
        {
            context.Log.Write(stage, trainingEvent, stageClock.Elapsed);
            context.Progress?.Report(new StageProgressEvent(stage, trainingEvent));
        });
        TrainingResult result;
        try
        {
            result = new Trainer(trainerLogger).Train(model, objective, options, reporter, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            context.Progress?.Report(new StageFinishedEvent(stage, stageClock.Elapsed, Cancelled: true));
            throw;
        }
        var trainSeconds = stageClock.Elapsed.TotalSeconds;
        var summary = new StageSummary
        {
            State = result.Cancelled ? RunState.Cancelled : RunState.Completed,
            TrainCount = objective.TrainCount,
            EvalCount = objective.EvalCount,
            Steps = result.Steps.Count,
            TotalSteps = result.TotalSteps,
            TrainSeconds = Math.Round(trainSeconds, 3),
            InitialEval = result.Evaluations.FirstOrDefault(e => e.Step == 0)?.Metrics,
            FinalEval = result.Evaluations.LastOrDefault(e => e.Step > 0)?.Metrics,
            FinalTrain = result.Steps.LastOrDefault()?.Metrics,
        };
        if (result.Cancelled)
        {
            context.Progress?.Report(new StageFinishedEvent(stage, stageClock.Elapsed, Cancelled: true));
            return summary;
        }

        var stageName = RunLog.StageName(stage);
        var folder = Path.Combine(context.RunFolder, stageName);
        string? adapterFolder = null;
        if (adapter is not null)
        {
            adapterFolder = Path.Combine(folder, AdapterFolderName);
            adapter.Save(adapterFolder, context.BaseFolder);
            // The merged model is what DPO starts from (and its reference), and what the full save below writes.
            adapter.MergeAndUnload();
        }
        HfModelSaver.Save(model, folder, config.ModelDirectory);
        context.Progress?.Report(new StageSavedEvent(stage, folder, adapterFolder));
        context.Progress?.Report(new StageFinishedEvent(stage, stageClock.Elapsed, Cancelled: false));
        return summary with
        {
            SaveSeconds = Math.Round(stageClock.Elapsed.TotalSeconds - trainSeconds, 3),
            ModelFolder = stageName,
            AdapterFolder = adapterFolder is null ? null : Path.Combine(stageName, AdapterFolderName),
        };
    }

    private static PipelineResult Finish(string runFolder, RunStatus status, RunState state, Stopwatch clock)
    {
        var final = status with
        {
            State = state,
            FinishedAt = DateTimeOffset.UtcNow,
            TotalSeconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
        };
        final.Save(runFolder);
        return new PipelineResult(runFolder, final);
    }

    /// <summary>Reports on the training thread, so log lines keep their order.</summary>
    private sealed class InlineProgress(Action<TrainingEvent> report) : IProgress<TrainingEvent>
    {
        public void Report(TrainingEvent value) => report(value);
    }
}
