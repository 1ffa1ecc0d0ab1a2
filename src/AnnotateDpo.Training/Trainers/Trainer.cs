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
    /// after its current step and returns with <see cref="TrainingResult.Cancelled"/> set, the model usable. A token
    /// cancelled while the objective prepares (DPO's reference pass) or during an eval pass throws
    /// <see cref="OperationCanceledException"/> instead, as there is no finished step to stop at.
    /// </summary>
    public TrainingResult Train(CausalLM model, ITrainingObjective objective, TrainerOptions options,
        IProgress<TrainingEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Threads is { } threads)
            torch.set_num_threads(threads);
        torch.manual_seed(options.Seed);

        var parameters = model.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        if (parameters.Count == 0)
            throw new ArgumentException("The model has no parameter that requires grad.", nameof(model));
        objective.Prepare(model, cancellationToken);

        var perStep = options.BatchSize * options.GradientAccumulationSteps;
        var totalSteps = options.MaxSteps ?? Math.Max(1, (int)Math.Ceiling(options.Epochs * objective.TrainCount / perStep));
        var evaluates = options.EvalEvery > 0 && objective.EvalCount > 0;
        logger.LogInformation("Training {Steps} steps of {PerStep} samples on {Count} ({Trainable} trainable tensors)",
            totalSteps, perStep, objective.TrainCount, parameters.Count);

        using var optimizer = AdamWFactory.Create(parameters.Select(p => p.parameter), options.LearningRate, options.Beta1, options.Beta2, options.WeightDecay);
        var order = new SampleOrder(objective.TrainCount, options.Seed, options.Shuffle);
        var steps = new List<TrainingStepEvent>(totalSteps);
        var evaluations = new List<EvaluationEvent>();
        var tokensSeen = 0L;
        var clock = Stopwatch.StartNew();
        if (evaluates)
            evaluations.Add(Evaluate(model, objective, options, 0, totalSteps, progress, cancellationToken));

        for (var step = 0; step < totalSteps; step++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                logger.LogInformation("Training cancelled after {Steps} of {Total} steps", step, totalSteps);
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
                    parameters.Select(p => p.parameter), options.MaxGradNorm > 0 ? options.MaxGradNorm : double.PositiveInfinity);
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
        }
        model.eval();
        return new TrainingResult(steps, evaluations, totalSteps, Cancelled: false);
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
