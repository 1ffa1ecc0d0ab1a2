using System.Runtime.CompilerServices;
using AnnotateDpo.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Scoring;

/// <summary>
/// log p(target | hidden) through the LM head as one autograd node that keeps only its input (N, C): the backward
/// pass recomputes each chunk's logits and back-propagates through them one chunk at a time (activation
/// checkpointing of the head), so no (N, V) tensor outlives its chunk in either pass. Gradients of the head's own
/// parameters are accumulated into their <c>.grad</c> during that recomputation.
/// </summary>
internal sealed class RecomputedLogProbs : autograd.SingleTensorFunction<RecomputedLogProbs>
{
    private const string ModelKey = "model";
    private const string ChunkKey = "chunk";

    public override string Name => nameof(RecomputedLogProbs);

    /// <param name="hidden">(N, C)</param>
    /// <param name="targets">(N) int64</param>
    /// <param name="meanLogits">Receives (N): the mean logit over the vocabulary at each row, without grad.</param>
    /// <returns>(N) float32, differentiable with respect to <paramref name="hidden"/> and the head's parameters.</returns>
    public static Tensor Apply(ICausalLM model, Tensor hidden, Tensor targets, int chunk, StrongBox<Tensor?> meanLogits) =>
        apply(hidden, targets, model, chunk, meanLogits);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (hidden, targets, model, chunk) = ((Tensor)vars[0], (Tensor)vars[1], (ICausalLM)vars[2], (int)vars[3]);
        var meanLogits = (StrongBox<Tensor?>)vars[4];
        ctx.save_for_backward([hidden, targets]);
        ctx.save_data(ModelKey, model);
        ctx.save_data(ChunkKey, chunk);
        ctx.mark_non_differentiable([targets]);

        var count = hidden.shape[0];
        var result = empty(count, ScalarType.Float32, hidden.device);
        meanLogits.Value = empty(count, ScalarType.Float32, hidden.device);
        for (long start = 0; start < count; start += chunk)
        {
            var size = Math.Min(chunk, count - start);
            using var states = hidden.narrow(0, start, size); // (n, C)
            using var ids = targets.narrow(0, start, size);
            var (picked, means) = ChunkLogProbs(model, states, ids); // (n), (n)
            using (picked)
            using (means)
            using (var slot = result.narrow(0, start, size))
            using (var meanSlot = meanLogits.Value.narrow(0, start, size))
            {
                slot.copy_(picked);
                meanSlot.copy_(means!);
            }
        }
        return result;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        var (hidden, targets) = (saved[0], saved[1]);
        var model = (ICausalLM)ctx.get_data(ModelKey);
        var chunk = (int)ctx.get_data(ChunkKey);

        var count = hidden.shape[0];
        var gradHidden = zeros_like(hidden);
        using (enable_grad())
        {
            for (long start = 0; start < count; start += chunk)
            {
                var size = Math.Min(chunk, count - start);
                using var states = hidden.narrow(0, start, size).detach().requires_grad_(true); // (n, C)
                using var ids = targets.narrow(0, start, size);
                var (picked, means) = ChunkLogProbs(model, states, ids, withMeans: false); // (n)
                using var pickedScope = picked;
                using var upstream = grad_output.narrow(0, start, size);
                picked.backward([upstream]);
                using var grad = states.grad!;
                using var slot = gradHidden.narrow(0, start, size);
                slot.copy_(grad);
            }
        }
        foreach (var tensor in saved)
            tensor.Dispose();
        // One entry per forward argument: hidden, targets, model, chunk, mean-logits box.
        return [gradHidden, null!, null!, null!, null!];
    }

    /// <param name="states">(n, C)</param>
    /// <param name="ids">(n) int64</param>
    /// <returns>
    /// The log-softmax of the head's logits at each target (n), and (unless <paramref name="withMeans"/> is false) the
    /// mean logit over the vocabulary (n), detached.
    /// </returns>
    internal static (Tensor LogProbs, Tensor? MeanLogits) ChunkLogProbs(ICausalLM model, Tensor states, Tensor ids, bool withMeans = true)
    {
        using var logits = model.ApplyLmHead(states); // (n, V)
        using var logits32 = logits.to(ScalarType.Float32);
        using var logProbs = logits32.log_softmax(-1); // (n, V)
        using var column = ids.unsqueeze(1); // (n, 1)
        using var picked = logProbs.gather(1, column); // (n, 1)
        Tensor? means = null;
        if (withMeans)
        {
            using (no_grad())
                means = logits32.mean([-1]);
        }
        return (picked.squeeze(1), means);
    }
}
