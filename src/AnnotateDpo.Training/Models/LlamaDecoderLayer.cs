using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnnotateDpo.Training.Models;

/// <summary>Pre-norm transformer block: x + attn(norm(x)), then + mlp(norm(·)).</summary>
public sealed class LlamaDecoderLayer : Module
{
    private readonly RmsNorm input_layernorm;
    private readonly LlamaAttention self_attn;
    private readonly RmsNorm post_attention_layernorm;
    private readonly LlamaMlp mlp;

    public LlamaDecoderLayer(HfModelConfig config, int layerIndex, Device? device = null) : base(nameof(LlamaDecoderLayer))
    {
        input_layernorm = new RmsNorm(config.Hidden, config.NormEps, device);
        self_attn = new LlamaAttention(config, layerIndex, device);
        post_attention_layernorm = new RmsNorm(config.Hidden, config.NormEps, device);
        mlp = new LlamaMlp(config, device);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache)
    {
        using var normed = input_layernorm.call(x); // (B, T, C)
        using var attended = self_attn.Forward(normed, cos, sin, mask, cache);
        using var residual = x + attended;
        using var normedAgain = post_attention_layernorm.call(residual);
        using var transformed = mlp.call(normedAgain);
        return residual + transformed; // (B, T, C)
    }
}
