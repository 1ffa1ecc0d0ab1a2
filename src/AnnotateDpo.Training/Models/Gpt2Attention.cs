using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnnotateDpo.Training.Models;

/// <summary>
/// GPT-2 causal self-attention with learned absolute positions (so no rotary). HF stores c_attn and c_proj as
/// Conv1D, whose weight is (in, out); here they are Linear (out, in) and the checkpoint mapping transposes.
/// </summary>
public sealed class Gpt2Attention : Module
{
    private readonly Module<Tensor, Tensor> c_attn;
    private readonly Module<Tensor, Tensor> c_proj;
    private readonly int heads;
    private readonly int headDim;
    private readonly int layerIndex;

    public Gpt2Attention(HfModelConfig config, int layerIndex, Device? device = null) : base(nameof(Gpt2Attention))
    {
        heads = config.Heads;
        headDim = config.HeadSize;
        this.layerIndex = layerIndex;
        c_attn = Linear(config.Hidden, 3 * config.Hidden, hasBias: true, device: device);
        c_proj = Linear(config.Hidden, config.Hidden, hasBias: true, device: device);
        RegisterComponents();
    }

    /// <param name="x">(B, T, C)</param>
    /// <param name="mask">(B, 1, T, S) true = attend, or null for plain causal attention.</param>
    public Tensor Forward(Tensor x, Tensor? mask, KvCache? cache)
    {
        using var qkv = c_attn.call(x); // (B, T, 3C)
        var split = qkv.split(x.shape[2], dim: 2);
        using var q = split[0];
        using var k = split[1];
        using var v = split[2];
        using var query = AttentionHeads.Split(q, heads, headDim); // (B, H, T, D)
        using var key = AttentionHeads.Split(k, heads, headDim);
        using var value = AttentionHeads.Split(v, heads, headDim);

        // The cache owns what it returns; without one these are this call's tensors, disposed above.
        var (keys, values) = cache?.Append(layerIndex, key, value) ?? (key, value); // (B, H, S, D)
        using var attended = functional.scaled_dot_product_attention(
            query, keys, values, mask, 0.0, is_casual: mask is null); // (B, H, T, D)
        using var merged = AttentionHeads.Merge(attended); // (B, T, C)
        return c_proj.call(merged);
    }
}
