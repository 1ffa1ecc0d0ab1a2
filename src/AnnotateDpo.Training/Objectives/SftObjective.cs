using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.Scoring;
using AnnotateDpo.Training.Tokenization;
using AnnotateDpo.Training.Trainers;

namespace AnnotateDpo.Training.Objectives;

/// <summary>
/// Supervised fine-tuning: mean negative log-likelihood per assistant token (TRL's SFTTrainer with
/// assistant_only_loss), averaged over all label tokens of a step rather than per sequence.
/// </summary>
public sealed class SftObjective : ITrainingObjective
{
    private readonly EncodedChat[] train;
    private readonly SftEvalLoss eval;
    private readonly long padId;
    private readonly SequenceOverflow overflow;

    /// <param name="lastTurnOnly">Train only on each conversation's last assistant turn.</param>
    /// <param name="overflow">What to do with a conversation longer than the model's context. Default: reject.</param>
    public SftObjective(
        IReadOnlyList<SftSample> train, IReadOnlyList<SftSample>? eval, HfTokenizer tokenizer, ChatFormat format,
        bool lastTurnOnly = false, SequenceOverflow overflow = SequenceOverflow.Reject)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(format);
        if (train.Count == 0)
            throw new ArgumentException("There are no SFT samples to train on.", nameof(train));
        this.train = SftEvalLoss.Encode(train, "training", tokenizer, format, lastTurnOnly);
        this.eval = new SftEvalLoss(eval ?? [], tokenizer, format, lastTurnOnly, overflow);
        padId = SftEvalLoss.PadId(tokenizer);
        this.overflow = overflow;
    }

    public int TrainCount => train.Length;

    public int EvalCount => eval.Count;

    public int FitToContext(int maxPositions) => SftEvalLoss.Fit(train, "training", maxPositions, overflow) + eval.FitToContext(maxPositions);

    public void Prepare(CausalLM model, CancellationToken cancellationToken) => FitToContext(model.Config.MaxPositions);

    // Position 0 has nothing before it, so its label is never scored.
    public long LossWeight(int index) => train[index].Labels.Skip(1).Count(label => label != ChatEncoder.IgnoreIndex);

    public MicroBatchLoss Forward(CausalLM model, IReadOnlyList<int> indices, double stepWeight, MetricAccumulator metrics)
    {
        var chats = indices.Select(i => train[i]).ToList();
        using var batch = SftEvalLoss.Batch(chats, model, padId);
        using var scores = TokenLogProbs.Compute(model, batch);
        using var nll = -scores.Sum.sum(); // ()
        return new MicroBatchLoss(nll / stepWeight, chats.Sum(c => (long)c.InputIds.Length));
    }

    /// <summary>eval loss (mean NLL per label token) and perplexity = exp(loss).</summary>
    public EvalOutcome Evaluate(CausalLM model, int batchSize, CancellationToken cancellationToken)
    {
        var loss = eval.Compute(model, batchSize, cancellationToken);
        var metrics = new MetricAccumulator();
        metrics.Record(TrainingMetrics.Loss, loss);
        metrics.Record(TrainingMetrics.Perplexity, Math.Exp(loss));
        return new EvalOutcome(metrics, []);
    }
}
