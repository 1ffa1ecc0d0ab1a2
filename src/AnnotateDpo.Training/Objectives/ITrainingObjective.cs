using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.Trainers;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Objectives;

/// <summary>
/// What <see cref="Trainer"/> optimises: the one part that differs between SFT and DPO. An objective holds its
/// tokenised training and eval sets and is addressed by sample index.
/// </summary>
public interface ITrainingObjective
{
    int TrainCount { get; }

    int EvalCount { get; }

    /// <summary>
    /// Makes every training and eval sample fit <paramref name="maxPositions"/> tokens as the objective's
    /// <see cref="SequenceOverflow"/> says: rejects with an <see cref="ArgumentException"/> naming the first sample
    /// that is too long, or truncates. Idempotent; <see cref="Prepare"/> calls it with the model's context.
    /// </summary>
    /// <returns>How many samples were truncated by this call.</returns>
    int FitToContext(int maxPositions);

    /// <summary>Called once before the first step, with the model as it starts (DPO scores its reference here).</summary>
    void Prepare(CausalLM model, CancellationToken cancellationToken);

    /// <summary>
    /// How many units training sample <paramref name="index"/> adds to the step's loss average: its label tokens for
    /// SFT, one pair for DPO. A step's loss is the sum over its units divided by their total, so it does not depend
    /// on how the step is split into micro-batches.
    /// </summary>
    long LossWeight(int index);

    /// <summary>
    /// Forward pass of one micro-batch with grad: its share of the step loss (its units' summed loss divided by
    /// <paramref name="stepWeight"/>), and its per-batch metrics recorded into <paramref name="metrics"/>.
    /// </summary>
    MicroBatchLoss Forward(CausalLM model, IReadOnlyList<int> indices, double stepWeight, MetricAccumulator metrics);

    /// <summary>Scores the whole eval set without grad, in batches of <paramref name="batchSize"/>.</summary>
    EvalOutcome Evaluate(CausalLM model, int batchSize, CancellationToken cancellationToken);
}

/// <param name="Loss">() differentiable.</param>
/// <param name="Tokens">Input tokens in the micro-batch, padding excluded.</param>
public sealed record MicroBatchLoss(Tensor Loss, long Tokens);

/// <summary>An eval pass's metrics (unprefixed) and, for DPO, each pair's log-probabilities.</summary>
public sealed record EvalOutcome(MetricAccumulator Metrics, IReadOnlyList<PairLogProbs> PairLogProbs);
