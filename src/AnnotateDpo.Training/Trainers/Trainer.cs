using System.Diagnostics;
using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.Objectives;
using AnnotateDpo.Training.Optimization;
using AnnotateDpo.Training.Pretraining;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Trainers;

/// <summary>
/// The one training loop for SFT and DPO; only the <see cref="ITrainingObjective"/> differs. AdamW over the
/// parameters that require grad (after <c>LoraAdapter.Apply</c>: only the adapters), warmup + cosine schedule,
/// gradient accumulation, global-norm clipping. For a fixed seed and thread count a CPU run is reproducible.
/// </summary>
public sealed class Trainer(ILogger<Trainer>? logger = null)
{
    private const double BytesPerMb = 1024.0 * 1024.0;
    private readonly ILogger logger = logger ?? NullLogger<Trainer>.Instance;

    public Task<TrainingResult> TrainAsync(CausalLM model, ITrainingObjective objective, TrainerOptions options,
        IProgress<TrainingEvent>? progress = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => Train(model, objective, options, progress, cancellationToken), CancellationToken.None);

    /// <summary>
    /// Trains <paramref name="model"/> in place. Cancellation is checked at step boundaries: a cancelled run stops
    /// after its current step (writing a checkpoint there when <paramref name="checkpoints"/> are on) and returns
    /// with <see cref="TrainingResult.Cancelled"/> set, the model usable. A token cancelled while the objective
    /// prepares (DPO's reference pass) or during an eval pass throws <see cref="OperationCanceledException"/>
    /// instead, as there is no finished step to stop at. A loss or gradient norm that is NaN or infinite throws
    /// <see cref="TrainingDivergedException"/> before the optimizer step, so the weights stay finite.
    /// </summary>
    /// <param name="checkpoints">
    /// Where to write checkpoints, and the one to resume from: then the objective prepares on the model as given (the
    /// stage's start, so DPO's reference is the same as in an uninterrupted run), the checkpoint's weights, optimizer,
    /// generator and data position are restored, and training continues at its step with no initial eval, giving the
    /// same steps as an uninterrupted run on CPU at the same thread count.
    /// </param>
    public TrainingResult Train(CausalLM model, ITrainingObjective objective, TrainerOptions options,
        IProgress<TrainingEvent>? progress = null, CancellationToken cancellationToken = default, TrainerCheckpoints? checkpoints = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Threads is { } threads)
            torch.set_num_threads(threads);
        torch.manual_seed(options.Seed);

        var parameters = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (Name: p.name, Parameter: p.parameter)).ToList();
        if (parameters.Count == 0)
            throw new ArgumentException("The model has no parameter that requires grad.", nameof(model));
        objective.Prepare(model, cancellationToken);

        var perStep = options.BatchSize * options.GradientAccumulationSteps;
        var totalSteps = options.MaxSteps ?? Math.Max(1, (int)Math.Ceiling(options.Epochs * objective.TrainCount / perStep));
        var evaluates = options.EvalEvery > 0 && objective.EvalCount > 0;
        logger.LogInformation("Training {Steps} steps of {PerStep} samples on {Count} ({Trainable} trainable tensors)",
            totalSteps, perStep, objective.TrainCount, parameters.Count);

        using var optimizer = AdamWFactory.Create(parameters.Select(p => p.Parameter), options.LearningRate, options.Beta1, options.Beta2, options.WeightDecay);
        var order = new SampleOrder(objective.TrainCount, options.Seed, options.Shuffle);
        var steps = new List<TrainingStepEvent>(totalSteps);
        var evaluations = new List<EvaluationEvent>();
        var tokensSeen = 0L;
        var firstStep = 0;
        if (checkpoints?.ResumeFrom is { } resumeFrom)
        {
            var restored = TrainerCheckpoint.Restore(resumeFrom, parameters, optimizer);
            if (restored.TotalSteps != totalSteps || restored.Seed != options.Seed)
                throw new InvalidDataException(
                    $"Checkpoint {resumeFrom} was written for {restored.TotalSteps} steps with seed {restored.Seed}; this run has {totalSteps} steps with seed {options.Seed}. Resume with the run's own config.");
            order.Skip(restored.SamplesConsumed);
            (tokensSeen, firstStep) = (restored.NumTokens, restored.Step);
            logger.LogInformation("Resuming at step {Step} of {Total} from {Checkpoint}", firstStep, totalSteps, resumeFrom);
        }
        var lastCheckpointStep = firstStep;
        var clock = Stopwatch.StartNew();
        if (evaluates && firstStep == 0)
            evaluations.Add(Evaluate(model, objective, options, 0, totalSteps, progress, cancellationToken));

        for (var step = firstStep; step < totalSteps; step++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                logger.LogInformation("Training cancelled after {Steps} of {Total} steps", step, totalSteps);
                if (checkpoints is { Every: > 0 } && step > lastCheckpointStep)
                    SaveCheckpoint(checkpoints, step, totalSteps, order, tokensSeen, options, parameters, optimizer, progress);
                return new TrainingResult(steps, evaluations, totalSteps, Cancelled: true);
            }

            var learningRate = LearningRateSchedule.At(step, totalSteps, options.WarmupSteps, options.LearningRate, options.MinLearningRateRatio);
            foreach (var group in optimizer.ParamGroups)
                group.LearningRate = learningRate;

            var metrics = new MetricAccumulator();
            var indices = order.Take(perStep);
            // At least 1, so a step without labels adds nothing rather than NaN.
            double stepWeight = Math.Max(indices.Sum(objective.LossWeight), 1);
            double loss = 0;
            double gradNorm;
            model.train();
            using (NewDisposeScope())
            {
                optimizer.zero_grad();
                foreach (var micro in indices.Chunk(options.BatchSize))
                {
                    var result = objective.Forward(model, micro, stepWeight, metrics);
                    result.Loss.backward();
                    loss += result.Loss.item<float>();
                    tokensSeen += result.Tokens;
                }
                // PyTorch returns the norm before clipping; infinity measures it without clipping.
                gradNorm = nn.utils.clip_grad_norm_(
                    parameters.Select(p => p.Parameter), options.MaxGradNorm > 0 ? options.MaxGradNorm : double.PositiveInfinity);
                if (!double.IsFinite(loss) || !double.IsFinite(gradNorm))
                    throw new TrainingDivergedException(step + 1, loss, gradNorm, learningRate);
                optimizer.step();
            }

            metrics.Record(TrainingMetrics.Loss, loss);
            metrics.Record(TrainingMetrics.GradNorm, gradNorm);
            metrics.Record(TrainingMetrics.LearningRate, learningRate);
            metrics.Record(TrainingMetrics.Epoch, (double)order.Consumed / objective.TrainCount);
            metrics.Record(TrainingMetrics.NumTokens, tokensSeen);
            metrics.Record(TrainingMetrics.TokensPerSecond, tokensSeen / Math.Max(clock.Elapsed.TotalSeconds, 1e-9));
            metrics.Record(TrainingMetrics.PeakMemoryMb, Process.GetCurrentProcess().PeakWorkingSet64 / BytesPerMb);
            var stepEvent = new TrainingStepEvent(step + 1, totalSteps, metrics.ToMetrics(MetricScope.Train));
            steps.Add(stepEvent);
            progress?.Report(stepEvent);

            if (evaluates && ((step + 1) % options.EvalEvery == 0 || step == totalSteps - 1))
                evaluations.Add(Evaluate(model, objective, options, step + 1, totalSteps, progress, cancellationToken));
            // Not after the last step: the finished model is saved in full by the caller.
            if (checkpoints is { Every: > 0 } && (step + 1) % checkpoints.Every == 0 && step + 1 < totalSteps)
            {
                SaveCheckpoint(checkpoints, step + 1, totalSteps, order, tokensSeen, options, parameters, optimizer, progress);
                lastCheckpointStep = step + 1;
            }
        }
        model.eval();
        return new TrainingResult(steps, evaluations, totalSteps, Cancelled: false);
    }

    private void SaveCheckpoint(TrainerCheckpoints checkpoints, int step, int totalSteps, SampleOrder order, long tokensSeen,
        TrainerOptions options, IReadOnlyList<(string Name, Parameter Parameter)> parameters, optim.Optimizer optimizer,
        IProgress<TrainingEvent>? progress)
    {
        var state = new TrainerState
        {
            Name = checkpoints.Name,
            Step = step,
            TotalSteps = totalSteps,
            SamplesConsumed = order.Consumed,
            NumTokens = tokensSeen,
            Seed = options.Seed,
            SavedAt = DateTimeOffset.UtcNow,
        };
        var folder = TrainerCheckpoint.Save(checkpoints, state, parameters, optimizer);
        logger.LogInformation("Checkpoint at step {Step} of {Total}: {Folder}", step, totalSteps, folder);
        progress?.Report(new CheckpointSavedEvent(step, totalSteps, folder));
    }

    private static EvaluationEvent Evaluate(CausalLM model, ITrainingObjective objective, TrainerOptions options,
        int step, int totalSteps, IProgress<TrainingEvent>? progress, CancellationToken cancellationToken)
    {
        model.eval();
        var outcome = objective.Evaluate(model, options.EvalBatchSize, cancellationToken);
        var evaluation = new EvaluationEvent(step, totalSteps, outcome.Metrics.ToMetrics(MetricScope.Eval), outcome.PairLogProbs);
        progress?.Report(evaluation);
        return evaluation;
    }

    /// <summary>
    /// The training samples as one endless stream of epochs, each a seeded permutation, so a step takes the next
    /// samples whatever its micro-batch split.
    /// </summary>
    private sealed class SampleOrder(int count, int seed, bool shuffle)
    {
        private readonly Random random = new(seed);
        private int[] epoch = [];
        private int position;

        public long Consumed { get; private set; }

        /// <summary>Draws <paramref name="count"/> samples unseen, to reach the position of a resumed run.</summary>
        public void Skip(long count)
        {
            const int Chunk = 4096;
            for (var left = count; left > 0; left -= Chunk)
                Take((int)Math.Min(left, Chunk));
        }

        public int[] Take(int size)
        {
            var taken = new int[size];
            for (var i = 0; i < size; i++)
            {
                if (position == epoch.Length)
                {
                    epoch = Enumerable.Range(0, count).ToArray();
                    if (shuffle)
                        random.Shuffle(epoch);
                    position = 0;
                }
                taken[i] = epoch[position++];
            }
            Consumed += size;
            return taken;
        }
    }
}
