using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.Scoring;
using AnnotateDpo.Training.Tokenization;
using AnnotateDpo.Training.Trainers;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Objectives;

/// <summary>
/// Supervised fine-tuning: mean negative log-likelihood per assistant token (TRL's SFTTrainer with
/// assistant_only_loss), averaged over all label tokens of a step rather than per sequence.
/// </summary>
public sealed class SftObjective : ITrainingObjective
{
    private readonly EncodedChat[] train;
    private readonly EncodedChat[] eval;
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
        this.train = Encode(train, "training", tokenizer, format, lastTurnOnly);
        this.eval = Encode(eval ?? [], "eval", tokenizer, format, lastTurnOnly);
        padId = tokenizer.PadId ?? tokenizer.EosId ?? 0;
        this.overflow = overflow;
    }

    public int TrainCount => train.Length;

    public int EvalCount => eval.Length;

    public int FitToContext(int maxPositions) => Fit(train, "training", maxPositions) + Fit(eval, "eval", maxPositions);

    public void Prepare(CausalLM model, CancellationToken cancellationToken) => FitToContext(model.Config.MaxPositions);

    // Position 0 has nothing before it, so its label is never scored.
    public long LossWeight(int index) => train[index].Labels.Skip(1).Count(label => label != ChatEncoder.IgnoreIndex);

    public MicroBatchLoss Forward(CausalLM model, IReadOnlyList<int> indices, double stepWeight, MetricAccumulator metrics)
    {
        var chats = indices.Select(i => train[i]).ToList();
        using var batch = Batch(chats, model);
        using var scores = TokenLogProbs.Compute(model, batch);
        using var nll = -scores.Sum.sum(); // ()
        return new MicroBatchLoss(nll / stepWeight, chats.Sum(c => (long)c.InputIds.Length));
    }

    /// <summary>eval loss (mean NLL per label token) and perplexity = exp(loss).</summary>
    public EvalOutcome Evaluate(CausalLM model, int batchSize, CancellationToken cancellationToken)
    {
        double nll = 0;
        long tokens = 0;
        using (no_grad())
        {
            foreach (var chunk in eval.Chunk(batchSize))
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                using var batch = Batch(chunk, model);
                using var scores = TokenLogProbs.Compute(model, batch);
                nll -= scores.Sum.sum().item<float>();
                tokens += scores.TokenCount.sum().item<long>();
            }
        }
        var metrics = new MetricAccumulator();
        var loss = nll / Math.Max(tokens, 1);
        metrics.Record(TrainingMetrics.Loss, loss);
        metrics.Record(TrainingMetrics.Perplexity, Math.Exp(loss));
        return new EvalOutcome(metrics, []);
    }

    private PaddedBatch Batch(IReadOnlyList<EncodedChat> chats, CausalLM model) => PaddedBatch.Create(
        chats.Select(c => (IReadOnlyList<long>)c.InputIds.Select(id => (long)id).ToArray()).ToList(),
        padId,
        PaddingSide.Right,
        chats.Select(c => (IReadOnlyList<long>)c.Labels.Select(id => (long)id).ToArray()).ToList(),
        model.parameters().First().device);

    private static EncodedChat[] Encode(
        IReadOnlyList<SftSample> samples, string set, HfTokenizer tokenizer, ChatFormat format, bool lastTurnOnly)
    {
        var encoded = new EncodedChat[samples.Count];
        for (var i = 0; i < samples.Count; i++)
        {
            try
            {
                encoded[i] = ChatEncoder.Encode(samples[i].Messages, format, tokenizer, lastTurnOnly);
            }
            catch (ArgumentException error)
            {
                throw new ArgumentException($"SFT {set} sample {i}: {error.Message}", nameof(samples), error);
            }
        }
        return encoded;
    }

    /// <summary>Truncation keeps the start: the prompt and the beginning of the answer, as TRL's keep_start does.</summary>
    private int Fit(EncodedChat[] chats, string set, int maxPositions)
    {
        var truncated = 0;
        for (var i = 0; i < chats.Length; i++)
        {
            if (chats[i].InputIds.Length <= maxPositions)
                continue;
            if (overflow == SequenceOverflow.Reject)
                throw new ArgumentException(
                    $"SFT {set} sample {i} has {chats[i].InputIds.Length} tokens; the model takes at most {maxPositions}. " +
                    "Shorten the example, or set sequence_overflow to truncate.");
            chats[i] = new EncodedChat(chats[i].InputIds[..maxPositions], chats[i].Labels[..maxPositions]);
            truncated++;
        }
        return truncated;
    }
}
