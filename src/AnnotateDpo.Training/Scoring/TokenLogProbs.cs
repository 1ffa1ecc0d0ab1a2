using System.Runtime.CompilerServices;
using AnnotateDpo.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Scoring;

/// <summary>
/// Per-token log-probabilities from <see cref="ICausalLM.ForwardHidden"/> and the LM head applied in chunks of
/// positions, so that a large vocabulary never needs a full (B, T, V) fp32 logits tensor at once. Only positions
/// that carry a label reach the head, so prompts and padding cost no vocabulary projection.
/// </summary>
/// <remarks>
/// With grad on, the head is an activation-checkpointed autograd node (<see cref="RecomputedLogProbs"/>): backward
/// recomputes one chunk's logits at a time. Under <c>no_grad</c> (reference model, scoring) only one chunk is alive
/// at a time anyway.
/// </remarks>
public static class TokenLogProbs
{
    /// <summary>The label of a position not to score, as in Hugging Face and TRL.</summary>
    public const long IgnoreIndex = -100;

    /// <summary>Bytes of fp32 logits (and their log-softmax) one chunk may hold by default.</summary>
    public const long DefaultChunkBytes = 256L * 1024 * 1024;

    /// <summary>Positions per chunk so that a chunk's logits and log-softmax fit <see cref="DefaultChunkBytes"/>.</summary>
    public static int DefaultChunkSize(int vocabSize) =>
        (int)Math.Clamp(DefaultChunkBytes / (2L * sizeof(float) * Math.Max(vocabSize, 1)), 1, 8192);

    /// <summary>
    /// Log-probabilities of <paramref name="labels"/> given the tokens before them. Labels are aligned with the
    /// input ids (as Hugging Face's <c>labels</c>): the logits at position t − 1 score <c>labels[t]</c>.
    /// </summary>
    /// <param name="inputIds">(B, T) int64</param>
    /// <param name="attentionMask">(B, T) 1 = real, 0 = padding (left or right); null: no padding.</param>
    /// <param name="labels">(B, T) int64, the id to score or <see cref="IgnoreIndex"/>.</param>
    /// <param name="chunkSize">Scored positions per LM-head call; default <see cref="DefaultChunkSize"/>.</param>
    /// <param name="recomputeHead">
    /// With grad on: keep only the hidden states for the backward pass and recompute each chunk's logits there, so
    /// no (N, V) tensor outlives its chunk. False keeps every chunk's log-softmax for autograd instead. Default: true.
    /// </param>
    public static SequenceLogProbs Compute(
        ICausalLM model, Tensor inputIds, Tensor? attentionMask, Tensor labels, int? chunkSize = null,
        bool recomputeHead = true)
    {
        if (inputIds.dim() != 2 || !labels.shape.SequenceEqual(inputIds.shape))
            throw new ArgumentException(
                $"input ids [{string.Join(", ", inputIds.shape)}] and labels [{string.Join(", ", labels.shape)}] " +
                "must both be (batch, length).");
        var chunk = chunkSize ?? DefaultChunkSize(model.Config.VocabSize);
        if (chunk < 1)
            throw new ArgumentOutOfRangeException(nameof(chunkSize), chunk, "The chunk size must be at least 1.");

        var (batch, length) = (inputIds.shape[0], inputIds.shape[1]);
        using var hidden = model.ForwardHidden(inputIds, attentionMask); // (B, T, C)
        var channels = hidden.shape[2];

        // The hidden state at t − 1 predicts the token at t.
        using var predictors = hidden[.., ..^1, ..].reshape(-1, channels); // (B·(T−1), C)
        using var targets = labels[.., 1..].reshape(-1); // (B·(T−1))
        using var isLabel = ScoredPositions(targets, attentionMask, batch, length); // (B·(T−1))
        using var rows = isLabel.nonzero().squeeze(1); // (N) indices into B·(T−1)
        using var selected = predictors.index_select(0, rows); // (N, C)
        using var selectedTargets = targets.index_select(0, rows); // (N)

        var (picked, meanLogits) = ScoreRows(model, selected, selectedTargets, chunk, recomputeHead); // (N), (N)
        using (picked)
        using (meanLogits)
        {
            using var emptyRows = zeros(batch * (length - 1), ScalarType.Float32, hidden.device);
            using var flatLogProbs = emptyRows.scatter(0, rows, picked); // (B·(T−1))
            using var flatLogits = emptyRows.scatter(0, rows, meanLogits);
            using var firstColumn = zeros(batch, 1, ScalarType.Float32, hidden.device); // position 0 has no prediction
            using var shiftedLogProbs = flatLogProbs.view(batch, length - 1); // (B, T−1)
            var perToken = cat([firstColumn, shiftedLogProbs], 1); // (B, T)

            using var noLabel = zeros(batch, 1, ScalarType.Bool, hidden.device);
            using var shiftedMask = isLabel.view(batch, length - 1);
            var labelMask = cat([noLabel, shiftedMask], 1); // (B, T)
            var logitSum = flatLogits.view(batch, length - 1).sum(-1).detach(); // (B)
            return new SequenceLogProbs(perToken, labelMask, logitSum);
        }
    }

    /// <summary>Computes from a padded batch (its ids, attention mask and labels).</summary>
    public static SequenceLogProbs Compute(
        ICausalLM model, PaddedBatch batch, int? chunkSize = null, bool recomputeHead = true) =>
        Compute(model, batch.InputIds, batch.AttentionMask, batch.Labels, chunkSize, recomputeHead);

    /// <summary>
    /// Scores every token of one sequence: <c>result[i] = log p(ids[i] | ids[&lt;i])</c>, and null for the first
    /// token, which has nothing before it. Runs without grad on the model's device.
    /// </summary>
    public static float?[] ScoreIds(ICausalLM model, IReadOnlyList<int> ids, int? chunkSize = null)
    {
        if (ids.Count == 0)
            return [];
        if (ids.Count > model.Config.MaxPositions)
            throw new ArgumentException(
                $"The sequence has {ids.Count} tokens; the model takes at most {model.Config.MaxPositions}.", nameof(ids));

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var device = DeviceOf(model);
        var values = ids.Select(id => (long)id).ToArray();
        var labelValues = values.Select((id, i) => i == 0 ? IgnoreIndex : id).ToArray();
        var inputIds = tensor(values, [1, values.Length], ScalarType.Int64, device);
        var labels = tensor(labelValues, [1, values.Length], ScalarType.Int64, device);
        using var scores = Compute(model, inputIds, null, labels, chunkSize);
        using var cpu = scores.PerToken[0].cpu();
        var perToken = cpu.data<float>().ToArray();
        return perToken.Select((value, i) => i == 0 ? (float?)null : value).ToArray();
    }

    /// <summary>
    /// Positions whose label is set and whose predictor is a real token: with left padding the first real token's
    /// predictor is padding, so it is not scored (as when the sequence stands alone).
    /// </summary>
    /// <returns>(B·(T−1)) bool</returns>
    private static Tensor ScoredPositions(Tensor targets, Tensor? attentionMask, long batch, long length)
    {
        var isLabel = targets.ne(IgnoreIndex);
        if (attentionMask is null)
            return isLabel;

        using (isLabel)
        {
            using var predictorIsReal = attentionMask[.., ..^1].reshape(-1).ne(0); // (B·(T−1))
            using var targetIsReal = attentionMask[.., 1..].reshape(-1).ne(0);
            using var bothReal = predictorIsReal.logical_and(targetIsReal);
            return isLabel.logical_and(bothReal);
        }
    }

    /// <summary>The device of the model's first parameter (CPU for a model that is not a module).</summary>
    internal static Device DeviceOf(ICausalLM model) =>
        model is nn.Module module && module.parameters().FirstOrDefault() is { } parameter ? parameter.device : CPU;

    /// <param name="selected">(N, C) hidden states of the scored positions.</param>
    /// <param name="selectedTargets">(N) their label ids.</param>
    /// <returns>log p of each label (N), with grad when grad is on; the mean logit over the vocabulary (N), without.</returns>
    private static (Tensor LogProbs, Tensor MeanLogits) ScoreRows(
        ICausalLM model, Tensor selected, Tensor selectedTargets, int chunk, bool recomputeHead)
    {
        var count = selected.shape[0];
        if (count == 0)
            return (zeros(0, ScalarType.Float32, selected.device), zeros(0, ScalarType.Float32, selected.device));

        if (recomputeHead && is_grad_enabled())
        {
            var means = new StrongBox<Tensor?>();
            var logProbs = RecomputedLogProbs.Apply(model, selected, selectedTargets, chunk, means);
            return (logProbs, means.Value!);
        }

        var logProbChunks = new List<Tensor>();
        var meanLogitChunks = new List<Tensor>();
        try
        {
            for (long start = 0; start < count; start += chunk)
            {
                var size = Math.Min(chunk, count - start);
                using var states = selected.narrow(0, start, size); // (n, C)
                using var ids = selectedTargets.narrow(0, start, size); // (n)
                var (picked, means) = RecomputedLogProbs.ChunkLogProbs(model, states, ids);
                logProbChunks.Add(picked); // (n)
                meanLogitChunks.Add(means!); // (n)
            }
            return (cat(logProbChunks, 0), cat(meanLogitChunks, 0));
        }
        finally
        {
            foreach (var tensor in logProbChunks.Concat(meanLogitChunks))
                tensor.Dispose();
        }
    }
}
