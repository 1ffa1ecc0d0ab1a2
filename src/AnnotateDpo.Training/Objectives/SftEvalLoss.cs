using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.Scoring;
using AnnotateDpo.Training.Tokenization;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Objectives;

/// <summary>
/// The mean negative log-likelihood per assistant token of a fixed set of SFT examples: SFT's eval loss, and what a
/// DPO eval also reports as <c>eval_sft_loss</c>, so that a run without an SFT stage still says how well its model
/// writes the ideal answers.
/// </summary>
public sealed class SftEvalLoss
{
    private readonly EncodedChat[] chats;
    private readonly long padId;
    private readonly SequenceOverflow overflow;

    /// <param name="lastTurnOnly">Score only each conversation's last assistant turn.</param>
    /// <param name="overflow">What to do with a conversation longer than the model's context. Default: reject.</param>
    public SftEvalLoss(
        IReadOnlyList<SftSample> samples, HfTokenizer tokenizer, ChatFormat format, bool lastTurnOnly = false,
        SequenceOverflow overflow = SequenceOverflow.Reject)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(format);
        chats = Encode(samples, "eval", tokenizer, format, lastTurnOnly);
        padId = PadId(tokenizer);
        this.overflow = overflow;
    }

    public int Count => chats.Length;

    /// <summary>Fits every example to <paramref name="maxPositions"/> as <see cref="SequenceOverflow"/> says; returns how many were truncated.</summary>
    public int FitToContext(int maxPositions) => Fit(chats, "eval", maxPositions, overflow);

    /// <summary>The mean NLL per label token over all examples, scored without grad in batches of <paramref name="batchSize"/>.</summary>
    public double Compute(CausalLM model, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        double nll = 0;
        long tokens = 0;
        using (no_grad())
        {
            foreach (var chunk in chats.Chunk(batchSize))
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                using var batch = Batch(chunk, model, padId);
                using var scores = TokenLogProbs.Compute(model, batch);
                nll -= scores.Sum.sum().item<float>();
                tokens += scores.TokenCount.sum().item<long>();
            }
        }
        return nll / Math.Max(tokens, 1);
    }

    internal static long PadId(HfTokenizer tokenizer) => tokenizer.PadId ?? tokenizer.EosId ?? 0;

    internal static PaddedBatch Batch(IReadOnlyList<EncodedChat> chats, CausalLM model, long padId) => PaddedBatch.Create(
        chats.Select(c => (IReadOnlyList<long>)c.InputIds.Select(id => (long)id).ToArray()).ToList(),
        padId,
        PaddingSide.Right,
        chats.Select(c => (IReadOnlyList<long>)c.Labels.Select(id => (long)id).ToArray()).ToList(),
        model.parameters().First().device);

    internal static EncodedChat[] Encode(
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
    internal static int Fit(EncodedChat[] chats, string set, int maxPositions, SequenceOverflow overflow)
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
