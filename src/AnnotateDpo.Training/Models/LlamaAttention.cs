using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnnotateDpo.Training.Models;

/// <summary>
/// Multi-head attention with grouped key/value heads (GQA) and rotary positions. The projections are plain
/// Linear modules behind <see cref="Module{T, TResult}"/> fields so that LoRA can wrap them.
/// </summary>
public sealed class LlamaAttention : Module
{
    private readonly Module<Tensor, Tensor> q_proj;
    private readonly Module<Tensor, Tensor> k_proj;
    private readonly Module<Tensor, Tensor> v_proj;
    private readonly Module<Tensor, Tensor> o_proj;
    private readonly int heads;
    private readonly int keyValueHeads;
    private readonly int headDim;
    private readonly int layerIndex;

    public LlamaAttention(HfModelConfig config, int layerIndex, Device? device = null) : base(nameof(LlamaAttention))
    {
        heads = config.Heads;
        keyValueHeads = config.KeyValueHeads;
        headDim = config.HeadSize;
        this.layerIndex = layerIndex;
        if (heads % keyValueHeads != 0)
            throw new InvalidDataException(
                $"num_attention_heads ({heads}) must be a multiple of num_key_value_heads ({keyValueHeads}).");

        q_proj = Linear(config.Hidden, heads * headDim, hasBias: config.QkvBias, device: device);
        k_proj = Linear(config.Hidden, keyValueHeads * headDim, hasBias: config.QkvBias, device: device);
        v_proj = Linear(config.Hidden, keyValueHeads * headDim, hasBias: config.QkvBias, device: device);
        o_proj = Linear(heads * headDim, config.Hidden, hasBias: config.OutputProjectionBias, device: device);
        RegisterComponents();
    }

    /// <param name="x">(B, T, C)</param>
    /// <param name="cos">(B, T, D) rotary cosines for the new positions; <paramref name="sin"/> likewise.</param>
    /// <param name="mask">(B, 1, T, S) true = attend, or null for plain causal attention.</param>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache)
    {
        using var queryFlat = q_proj.call(x); // (B, T, H * D)
        using var keyFlat = k_proj.call(x); // (B, T, KV * D)
        using var valueFlat = v_proj.call(x);
        using var query = AttentionHeads.Split(queryFlat, heads, headDim); // (B, H, T, D)
        using var key = AttentionHeads.Split(keyFlat, keyValueHeads, headDim); // (B, KV, T, D)
        using var value = AttentionHeads.Split(valueFlat, keyValueHeads, headDim);
        using var rotatedQuery = RotaryEmbedding.Apply(query, cos, sin);
        using var rotatedKey = RotaryEmbedding.Apply(key, cos, sin);

        // The cache owns what it returns; without one these are this call's tensors, disposed above.
        var (keys, values) = cache?.Append(layerIndex, rotatedKey, value) ?? (rotatedKey, value); // (B, KV, S, D)
        var groups = heads / keyValueHeads;
        using var expandedKeys = keys.repeat_interleave(groups, dim: 1); // (B, H, S, D)
        using var expandedValues = values.repeat_interleave(groups, dim: 1);
        using var attended = functional.scaled_dot_product_attention(
            rotatedQuery, expandedKeys, expandedValues, mask, 0.0, is_casual: mask is null); // (B, H, T, D)
        using var merged = AttentionHeads.Merge(attended); // (B, T, H * D)
        return o_proj.call(merged); // (B, T, C)
    }
}
