using AnnotateDpo.Training.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Scoring;

/// <summary>Which end of a short sequence gets the padding.</summary>
public enum PaddingSide
{
    /// <summary>Pad after the tokens: the layout for training and scoring.</summary>
    Right,

    /// <summary>Pad before the tokens: the layout for batched generation, so every row ends at its last token.</summary>
    Left,
}

/// <summary>
/// Sequences of different lengths as one batch: ids (B, T), an attention mask (B, T) with 1 for real tokens, and
/// labels (B, T) holding the id to score at each position or <see cref="TokenLogProbs.IgnoreIndex"/>. The batch
/// owns its tensors.
/// </summary>
public sealed class PaddedBatch : IDisposable
{
    private PaddedBatch(Tensor inputIds, Tensor attentionMask, Tensor labels)
    {
        InputIds = inputIds;
        AttentionMask = attentionMask;
        Labels = labels;
    }

    /// <summary>(B, T) int64</summary>
    public Tensor InputIds { get; }

    /// <summary>(B, T) int64, 1 = real token, 0 = padding.</summary>
    public Tensor AttentionMask { get; }

    /// <summary>(B, T) int64, the token to score or −100; padding is always −100.</summary>
    public Tensor Labels { get; }

    /// <summary>
    /// Pads <paramref name="sequences"/> with <paramref name="padId"/>. <paramref name="labels"/>, when given,
    /// must match each sequence's length (use −100 for positions not to score, such as the prompt); without it every
    /// real token is a label.
    /// </summary>
    public static PaddedBatch Create(
        IReadOnlyList<IReadOnlyList<long>> sequences,
        long padId,
        PaddingSide side = PaddingSide.Right,
        IReadOnlyList<IReadOnlyList<long>>? labels = null,
        Device? device = null)
    {
        TorchRuntime.EnsureInitialized();
        if (sequences.Count == 0)
            throw new ArgumentException("A batch needs at least one sequence.", nameof(sequences));
        if (labels is not null && labels.Count != sequences.Count)
            throw new ArgumentException(
                $"There are {labels.Count} label rows for {sequences.Count} sequences.", nameof(labels));

        var batch = sequences.Count;
        var length = sequences.Max(s => s.Count);
        if (length == 0)
            throw new ArgumentException("Every sequence in the batch is empty.", nameof(sequences));

        var ids = new long[batch * length];
        var mask = new long[batch * length];
        var targets = new long[batch * length];
        Array.Fill(ids, padId);
        Array.Fill(targets, TokenLogProbs.IgnoreIndex);
        for (var row = 0; row < batch; row++)
        {
            var sequence = sequences[row];
            var rowLabels = labels?[row] ?? sequence;
            if (rowLabels.Count != sequence.Count)
                throw new ArgumentException(
                    $"Sequence {row} has {sequence.Count} tokens but {rowLabels.Count} labels.", nameof(labels));

            var start = row * length + (side == PaddingSide.Left ? length - sequence.Count : 0);
            for (var i = 0; i < sequence.Count; i++)
            {
                ids[start + i] = sequence[i];
                mask[start + i] = 1;
                targets[start + i] = rowLabels[i];
            }
        }

        var target = device ?? CPU;
        return new PaddedBatch(
            tensor(ids, [batch, length], ScalarType.Int64, target),
            tensor(mask, [batch, length], ScalarType.Int64, target),
            tensor(targets, [batch, length], ScalarType.Int64, target));
    }

    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask.Dispose();
        Labels.Dispose();
    }
}
