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
using TorchSharp;
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
/// eval_pairs.jsonl   one line per DPO eval pass: each eval pair's chosen and rejected log-probabilities (with SFT
///                    first, also one under the base model before SFT, stage "base")
/// samples.jsonl      one line per eval pass: greedy answers to a few fixed eval prompts (<see cref="EvalSampler"/>)
/// checkpoints/       the running stage's latest checkpoint (&lt;stage&gt;-step-NNNNNN/), removed once the stage's model is saved
/// sft/  dpo/         each stage's model as a Hugging Face folder with the tokenizer files; with LoRA also adapter/
/// report.html        config, snapshot and charts of the metrics, written when the run ends however it ends
/// cancel             written by anyone who wants the run to stop (<see cref="RunFiles.RequestCancel"/>)
/// </code>
/// The DPO reference is the SFT result. With LoRA, the SFT adapter is saved, then merged into the base
/// (<see cref="LoraAdapter.MergeAndUnload"/>), and DPO trains a fresh adapter on that merged model, whose adapter-off
/// forward pass is exactly the SFT model: the reference costs no second copy, and <c>dpo/adapter</c> applies on top of
/// <c>sft/</c>. With full fine-tuning the reference is the policy as DPO starts (scored once, before the first step).
/// A cancelled run (token or cancel file) stops at a step boundary, writes a checkpoint there and leaves run.json
/// "cancelled" and the models of finished stages; <see cref="Resume"/> continues it, or a killed one, from its last
/// checkpoint to the same result as an uninterrupted run.
/// </summary>
public sealed class TrainingPipeline(ILogger<TrainingPipeline>? logger = null, ILogger<Trainer>? trainerLogger = null)
{
    public const string AdapterFolderName = "adapter";

    private const long BytesPerMb = 1024 * 1024;

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

    /// <summary>Runs <see cref="Resume"/> on a worker thread.</summary>
    public Task<PipelineResult> ResumeAsync(
        string runFolder,
        IReadOnlyList<SftSample> sftTrain,
        IReadOnlyList<SftSample> sftEval,
        IReadOnlyList<PreferenceSample> pairTrain,
        IReadOnlyList<PreferenceSample> pairEval,
        IProgress<PipelineEvent>? progress = null,
        CancellationToken cancellationToken = default) =>
        Task.Run(() => Resume(runFolder, sftTrain, sftEval, pairTrain, pairEval, progress, cancellationToken), CancellationToken.None);

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
        var data = new RunData(sftTrain, sftEval, pairTrain, pairEval);
        var warnings = CheckData(config, data);
        ModelFolderCheck.Validate(config.ModelDirectory);
        var runFolder = Path.GetFullPath(config.OutputDirectory);
        if (File.Exists(Path.Combine(runFolder, RunStatus.FileName)))
            throw new ArgumentException($"{runFolder} already holds a run; choose another --out or --run-id.");

        TorchRuntime.EnsureInitialized();
        var device = TorchDevice.Select();
        using var session = Session.Open(config, data);
        using var model = HfModelLoader.Load(config.ModelDirectory, device.Device, device.TrainingDtype);
        Directory.CreateDirectory(runFolder);
        File.Delete(Path.Combine(runFolder, RunFiles.CancelFileName));
        File.WriteAllText(Path.Combine(runFolder, TrainingRunConfig.FileName), config.ToJson());
        var status = new RunStatus
        {
            RunId = config.RunId,
            Workspace = config.Workspace,
            SnapshotId = config.SnapshotId,
            SnapshotHash = config.SnapshotHash,
            Device = device.ToString(),
            StartedAt = DateTimeOffset.UtcNow,
            ProcessId = Environment.ProcessId,
            Warnings = [.. warnings],
        };
        status.Save(runFolder);
        logger.LogInformation("Run {RunId}: {Stages} on {Device} into {Folder}", config.RunId, string.Join(",", config.Stages), device, runFolder);
        foreach (var warning in warnings)
            progress?.Report(new RunWarningEvent(config.Stages[0], warning));
        return Execute(new RunContext(config, runFolder, device, session, progress), model, status, firstStage: 0, checkpoint: null, cancellationToken,
            scoreBase: true);
    }

    /// <summary>
    /// Continues the run in <paramref name="runFolder"/> (cancelled, failed, or left "running" by a process that died)
    /// from its last checkpoint, with the same data (the snapshot whose hash run.json records): finished stages are
    /// kept, the unfinished stage restarts from its checkpoint, or from its beginning when it has none. Log lines
    /// after the checkpoint are dropped, so metrics.jsonl reads as one uninterrupted run.
    /// </summary>
    public PipelineResult Resume(
        string runFolder,
        IReadOnlyList<SftSample> sftTrain,
        IReadOnlyList<SftSample> sftEval,
        IReadOnlyList<PreferenceSample> pairTrain,
        IReadOnlyList<PreferenceSample> pairEval,
        IProgress<PipelineEvent>? progress = null,
        CancellationToken cancellationToken = default)
    {
        runFolder = Path.GetFullPath(runFolder);
        if (!File.Exists(Path.Combine(runFolder, RunStatus.FileName)))
            throw new DirectoryNotFoundException($"{runFolder} holds no run (no {RunStatus.FileName}).");
        var config = TrainingRunConfig.Load(Path.Combine(runFolder, TrainingRunConfig.FileName));
        config.Validate();
        var previous = RunStatus.Observe(runFolder);
        switch (previous.State)
        {
            case RunState.Completed:
                throw new ArgumentException($"Run {previous.RunId} has completed; there is nothing to resume.");
            case RunState.Running:
                throw new ArgumentException($"Run {previous.RunId} is still running (process {previous.ProcessId}); cancel it first.");
        }
        var data = new RunData(sftTrain, sftEval, pairTrain, pairEval);
        CheckData(config, data);
        ModelFolderCheck.Validate(config.ModelDirectory);

        var firstStage = config.Stages.ToList().FindIndex(stage =>
            previous.Stages.GetValueOrDefault(RunLog.StageName(stage))?.State != RunState.Completed);
        var stageName = RunLog.StageName(config.Stages[firstStage]);
        var checkpoint = TrainerCheckpoint.Latest(RunFiles.CheckpointsFolder(runFolder), stageName);
        var resumeStep = checkpoint is null ? 0 : TrainerCheckpoint.LoadState(checkpoint).Step;
        RunLog.DropAfter(runFolder, stageName, resumeStep);

        TorchRuntime.EnsureInitialized();
        var device = TorchDevice.Select();
        using var session = Session.Open(config, data);
        // A later stage starts from the saved model of the one before, as the uninterrupted run's model was then.
        var startFolder = firstStage == 0
            ? config.ModelDirectory
            : Path.Combine(runFolder, previous.Stages[RunLog.StageName(config.Stages[firstStage - 1])].ModelFolder!);
        using var model = HfModelLoader.Load(startFolder, device.Device, device.TrainingDtype);
        File.Delete(Path.Combine(runFolder, RunFiles.CancelFileName));
        var stages = new Dictionary<string, StageSummary>(previous.Stages);
        foreach (var later in config.Stages.Skip(firstStage + 1))
            stages.Remove(RunLog.StageName(later));
        var status = previous with
        {
            State = RunState.Running,
            Device = device.ToString(),
            ProcessId = Environment.ProcessId,
            FinishedAt = null,
            TotalSeconds = null,
            Error = null,
            Resumes = previous.Resumes + 1,
            Stages = stages,
        };
        status.Save(runFolder);
        logger.LogInformation("Run {RunId}: resuming {Stage} at step {Step} on {Device}", config.RunId, stageName, resumeStep, device);
        return Execute(new RunContext(config, runFolder, device, session, progress), model, status, firstStage, checkpoint, cancellationToken);
    }

    /// <summary>Refuses a stage with no training data; warns of one smaller than a step or without an eval split.</summary>
    /// <returns>Warnings the run starts with (they go into run.json).</returns>
    private static List<string> CheckData(TrainingRunConfig config, RunData data)
    {
        var warnings = new List<string>();
        foreach (var stage in config.Stages)
        {
            var (train, eval, units, what) = stage == TrainingStage.Sft
                ? (data.SftTrain.Count, data.SftEval.Count, "SFT examples", "approve more examples")
                : (data.PairTrain.Count, data.PairEval.Count, "preference pairs", "judge more pairs");
            var name = RunLog.StageName(stage);
            if (train == 0)
                throw new ArgumentException(stage == TrainingStage.Sft
                    ? "There are no SFT training examples (approved, train split) to run the sft stage on."
                    : "There are no preference pairs (resolved, train split) to run the dpo stage on.");
            var settings = config.SettingsOf(stage);
            var perStep = settings.BatchSize * settings.GradientAccumulationSteps;
            // Training still works (steps repeat samples), but every step sees the same few: say so rather than refuse.
            if (train < perStep)
                warnings.Add(
                    $"The snapshot has {train} {units} in its train split, fewer than one {name} step takes ({settings.BatchSize} per batch × {settings.GradientAccumulationSteps} accumulated = {perStep}), so each step repeats them and the model may overfit; {what}, or lower per_device_train_batch_size.");
            if (eval == 0)
                warnings.Add($"The snapshot has no {units} in its eval split, so the {name} stage reports no eval metrics; {what} or raise the eval share of the snapshot.");
        }
        return warnings;
    }

    /// <param name="scoreBase">A new run: with SFT before DPO, the eval pairs are scored under the base model first.</param>
    private PipelineResult Execute(RunContext run, CausalLM model, RunStatus status, int firstStage, string? checkpoint, CancellationToken cancellationToken,
        bool scoreBase = false)
    {
        var (config, runFolder) = (run.Config, run.RunFolder);
        var clock = Stopwatch.StartNew();
        using var cancelFile = new CancelFileWatch(runFolder, cancellationToken);
        var cancellation = cancelFile.Token;
        var tracker = new StatusTracker(runFolder, status);
        try
        {
            var baseFolder = firstStage == 0
                ? Path.GetFullPath(config.ModelDirectory)
                : Path.Combine(runFolder, tracker.Status.Stages[RunLog.StageName(config.Stages[firstStage - 1])].ModelFolder!);
            using var log = new RunLog(runFolder, run.Session.EvalPairKeys);
            if (scoreBase && config.Runs(TrainingStage.Sft) && run.Session.Dpo is { } dpo && dpo(null) is { EvalCount: > 0 } pairs)
                log.WriteBasePass(pairs.ScoreEval(model, config.Dpo.EvalBatchSize, cancellation));
            for (var index = firstStage; index < config.Stages.Count; index++)
            {
                var stage = config.Stages[index];
                var name = RunLog.StageName(stage);
                var resumeFrom = index == firstStage ? checkpoint : null;
                var earlier = tracker.Status.Stages.GetValueOrDefault(name);
                // A resumed stage keeps what run.json knew of it (its initial eval); a new one starts empty.
                tracker.Update(s => s.Stages[name] = ((resumeFrom is null ? null : earlier) ?? new StageSummary()) with { State = RunState.Running });
                var summary = RunStage(stage, new StageContext(run, baseFolder, model, log, tracker), resumeFrom, cancellation);
                tracker.Update(s => s.Stages[name] = summary);
                if (summary.State == RunState.Cancelled)
                    return Finish(runFolder, tracker.Status, RunState.Cancelled, clock);
                baseFolder = Path.Combine(runFolder, summary.ModelFolder!);
            }
            return Finish(runFolder, tracker.Status, RunState.Completed, clock);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            var cancelled = tracker.Status;
            foreach (var name in cancelled.Stages.Where(s => s.Value.State == RunState.Running).Select(s => s.Key).ToList())
                cancelled.Stages[name] = cancelled.Stages[name] with { State = RunState.Cancelled };
            return Finish(runFolder, cancelled, RunState.Cancelled, clock);
        }
        catch (Exception error)
        {
            logger.LogError(error, "Run {RunId} failed", config.RunId);
            var failed = tracker.Status;
            foreach (var name in failed.Stages.Where(s => s.Value.State == RunState.Running).Select(s => s.Key).ToList())
                failed.Stages[name] = failed.Stages[name] with { State = RunState.Failed };
            Finish(runFolder, failed with { Error = error.Message }, RunState.Failed, clock);
            throw;
        }
    }

    private sealed record RunData(
        IReadOnlyList<SftSample> SftTrain, IReadOnlyList<SftSample> SftEval, IReadOnlyList<PreferenceSample> PairTrain, IReadOnlyList<PreferenceSample> PairEval);

    /// <summary>The tokenizer and the objectives of a run, built (and the data tokenised) before anything is written.</summary>
    private sealed class Session : IDisposable
    {
        private readonly TrainingRunConfig config;
        private readonly RunData data;
        private readonly ChatFormat format;

        private Session(TrainingRunConfig config, RunData data, HfTokenizer tokenizer, ChatFormat format, SftObjective? sft, Func<LoraAdapter?, DpoObjective>? dpo)
        {
            this.config = config;
            this.data = data;
            this.format = format;
            Tokenizer = tokenizer;
            Sft = sft;
            Dpo = dpo;
        }

        public HfTokenizer Tokenizer { get; }
        public SftObjective? Sft { get; }

        /// <summary>The eval pairs' keys by index, as the DPO objective keeps them.</summary>
        public IReadOnlyList<string?> EvalPairKeys => data.PairEval.Select(pair => pair.Key).ToList();

        /// <summary>Builds the DPO objective around the stage's LoRA adapter (its reference), or without one.</summary>
        public Func<LoraAdapter?, DpoObjective>? Dpo { get; }

        public static Session Open(TrainingRunConfig config, RunData data)
        {
            var tokenizer = HfTokenizer.Load(config.ModelDirectory);
            try
            {
                var format = ChatFormats.For(tokenizer, config.ChatFormat);
                var lossOptions = config.Loss.ToOptions();
                var sft = config.Runs(TrainingStage.Sft)
                    ? new SftObjective(data.SftTrain, data.SftEval, tokenizer, format, overflow: config.SequenceOverflow)
                    : null;
                Func<LoraAdapter?, DpoObjective>? dpo = null;
                if (config.Runs(TrainingStage.Dpo))
                {
                    // Tokenising once up front surfaces a bad pair before the run folder exists.
                    _ = new DpoObjective(data.PairTrain, data.PairEval, tokenizer, format, lossOptions, overflow: config.SequenceOverflow);
                    // DPO evals also score the SFT eval examples, so a run without an SFT stage reports an SFT loss too.
                    var sftEval = new SftEvalLoss(data.SftEval, tokenizer, format, overflow: config.SequenceOverflow);
                    dpo = adapter => new DpoObjective(data.PairTrain, data.PairEval, tokenizer, format, lossOptions, adapter, overflow: config.SequenceOverflow, sftEval: sftEval);
                }
                return new Session(config, data, tokenizer, format, sft, dpo);
            }
            catch
            {
                tokenizer.Dispose();
                throw;
            }
        }

        /// <summary>The sampler of the run's fixed eval prompts for a model of <paramref name="maxPositions"/>; null when it samples none.</summary>
        public EvalSampler? Sampler(int maxPositions) => EvalSampler.Create(
            data.SftEval, data.PairEval, config.EvalSamples, config.EvalSampleMaxNewTokens, Tokenizer, format,
            GenerationConfigFile.EndTokenIds(config.ModelDirectory, Tokenizer), maxPositions);

        public void Dispose() => Tokenizer.Dispose();
    }

    private sealed record RunContext(TrainingRunConfig Config, string RunFolder, TorchDevice Device, Session Session, IProgress<PipelineEvent>? Progress);

    private sealed record StageContext(RunContext Run, string BaseFolder, CausalLM Model, RunLog Log, StatusTracker Tracker);

    private StageSummary RunStage(TrainingStage stage, StageContext context, string? resumeFrom, CancellationToken cancellationToken)
    {
        var (config, model, progress) = (context.Run.Config, context.Model, context.Run.Progress);
        var name = RunLog.StageName(stage);
        var settings = config.SettingsOf(stage);
        // LoRA's A matrices start from torch's generator: seeding it here makes them the same in every run of the
        // config, whatever the process did before (a resumed run restores them from its checkpoint anyway).
        torch.manual_seed(config.Seed);
        var adapter = config.Lora is { } lora ? LoraAdapter.Apply(model, lora.ToLoraConfig(model.Config), ScalarType.Float32) : null;
        ITrainingObjective objective = stage == TrainingStage.Sft ? context.Run.Session.Sft! : context.Run.Session.Dpo!(adapter);
        var truncated = objective.FitToContext(model.Config.MaxPositions);
        if (truncated > 0)
        {
            var warning = $"{truncated} {name} samples were longer than the model's {model.Config.MaxPositions} positions and were truncated; shorten them, or set sequence_overflow to reject.";
            logger.LogWarning("{Warning}", warning);
            context.Tracker.Update(s => s.Warnings.Add(warning));
            progress?.Report(new RunWarningEvent(stage, warning));
        }
        var options = settings.ToTrainerOptions(objective.TrainCount, config.Seed, config.Threads);
        var totalSteps = settings.TotalSteps(objective.TrainCount);
        var checkpoints = new TrainerCheckpoints(RunFiles.CheckpointsFolder(context.Run.RunFolder), name,
            config.CheckpointEvery(totalSteps), config.MinFreeDiskMb * BytesPerMb, resumeFrom);
        // Read before training: the first new checkpoint replaces the one resumed from.
        var resumedAt = resumeFrom is null ? 0 : TrainerCheckpoint.LoadState(resumeFrom).Step;
        context.Tracker.Update(s => s.Stages[name] = s.Stages[name] with
        {
            TrainCount = objective.TrainCount, EvalCount = objective.EvalCount, Steps = resumedAt, TotalSteps = totalSteps,
        });
        progress?.Report(new StageStartedEvent(stage, objective.TrainCount, objective.EvalCount, totalSteps));

        var sampler = context.Run.Session.Sampler(model.Config.MaxPositions);
        var stageClock = Stopwatch.StartNew();
        var reporter = new InlineProgress(trainingEvent =>
        {
            if (trainingEvent is CheckpointSavedEvent saved)
            {
                context.Tracker.Update(s => s.LastCheckpoint = Path.GetRelativePath(context.Run.RunFolder, saved.Folder));
                progress?.Report(new StageCheckpointEvent(stage, saved.Step, saved.Folder));
                return;
            }
            context.Log.Write(stage, trainingEvent, stageClock.Elapsed);
            if (trainingEvent is EvaluationEvent { Step: 0 } initial)
                context.Tracker.Update(s => s.Stages[name] = s.Stages[name] with { InitialEval = initial.Metrics });
            if (trainingEvent is TrainingStepEvent step)
                context.Tracker.Update(s => s.Stages[name] = s.Stages[name] with { Steps = step.Step });
            progress?.Report(new StageProgressEvent(stage, trainingEvent));
            // Like the eval pass it follows, not cancellable: a resumed run then has every sample an uninterrupted one has.
            if (trainingEvent is EvaluationEvent evaluation && sampler is not null)
            {
                var answers = sampler.Generate(model, CancellationToken.None);
                context.Log.WriteSamples(stage, evaluation.Step, evaluation.TotalSteps, answers);
                progress?.Report(new StageSamplesEvent(stage, evaluation.Step, evaluation.TotalSteps, answers));
            }
        });
        TrainingResult result;
        try
        {
            result = new Trainer(trainerLogger).Train(model, objective, options, reporter, cancellationToken, checkpoints);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            progress?.Report(new StageFinishedEvent(stage, stageClock.Elapsed, Cancelled: true));
            throw;
        }
        var trainSeconds = stageClock.Elapsed.TotalSeconds;
        var earlier = context.Tracker.Status.Stages[name];
        var summary = earlier with
        {
            State = result.Cancelled ? RunState.Cancelled : RunState.Completed,
            TrainCount = objective.TrainCount,
            EvalCount = objective.EvalCount,
            Steps = result.Steps.LastOrDefault()?.Step ?? resumedAt,
            TotalSteps = result.TotalSteps,
            TrainSeconds = Math.Round(trainSeconds, 3),
            FinalEval = result.Evaluations.LastOrDefault(e => e.Step > 0)?.Metrics ?? earlier.FinalEval,
            FinalTrain = result.Steps.LastOrDefault()?.Metrics ?? earlier.FinalTrain,
        };
        if (result.Cancelled)
        {
            progress?.Report(new StageFinishedEvent(stage, stageClock.Elapsed, Cancelled: true));
            return summary;
        }

        var folder = Path.Combine(context.Run.RunFolder, name);
        string? adapterFolder = null;
        if (adapter is not null)
        {
            adapterFolder = Path.Combine(folder, AdapterFolderName);
            adapter.Save(adapterFolder, context.BaseFolder);
            // The merged model is what DPO starts from (and its reference), and what the full save below writes.
            adapter.MergeAndUnload();
        }
        HfModelSaver.Save(model, folder, config.ModelDirectory);
        // The stage's model is saved in full, so its checkpoints are no longer needed to resume.
        foreach (var old in Directory.Exists(checkpoints.Folder) ? Directory.GetDirectories(checkpoints.Folder, $"{name}-step-*") : [])
            Directory.Delete(old, recursive: true);
        context.Tracker.Update(s => s.LastCheckpoint = null);
        progress?.Report(new StageSavedEvent(stage, folder, adapterFolder));
        progress?.Report(new StageFinishedEvent(stage, stageClock.Elapsed, Cancelled: false));
        return summary with
        {
            SaveSeconds = Math.Round(stageClock.Elapsed.TotalSeconds - trainSeconds, 3),
            ModelFolder = name,
            AdapterFolder = adapterFolder is null ? null : Path.Combine(name, AdapterFolderName),
        };
    }

    private PipelineResult Finish(string runFolder, RunStatus status, RunState state, Stopwatch clock)
    {
        var final = status with
        {
            State = state,
            FinishedAt = DateTimeOffset.UtcNow,
            TotalSeconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
        };
        final.Save(runFolder);
        RunReport.Write(runFolder);
        logger.LogInformation("Run {RunId} {State}", final.RunId, state);
        return new PipelineResult(runFolder, final);
    }

    /// <summary>run.json as the run goes: each change is saved at once, so a follower sees it.</summary>
    private sealed class StatusTracker(string runFolder, RunStatus status)
    {
        public RunStatus Status { get; private set; } = status;

        public void Update(Action<RunStatus> change)
        {
            change(Status);
            Status.Save(runFolder);
        }
    }

    /// <summary>Reports on the training thread, so log lines keep their order.</summary>
    private sealed class InlineProgress(Action<TrainingEvent> report) : IProgress<TrainingEvent>
    {
        public void Report(TrainingEvent value) => report(value);
    }
}
