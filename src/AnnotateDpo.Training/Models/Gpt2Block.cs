using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnnotateDpo.Training.Models;

/// <summary>Pre-norm GPT-2 block: x + attn(ln_1(x)), then + mlp(ln_2(·)).</summary>
public sealed class Gpt2Block : Module
{
    private readonly LayerNorm ln_1;
    private readonly Gpt2Attention attn;
    private readonly LayerNorm ln_2;
    private readonly Gpt2Mlp mlp;

    public Gpt2Block(HfModelConfig config, int layerIndex, Device? device = null) : base(nameof(Gpt2Block))
    {
        ln_1 = LayerNorm(config.Hidden, config.NormEps, device: device);
        attn = new Gpt2Attention(config, layerIndex, device);
        ln_2 = LayerNorm(config.Hidden, config.NormEps, device: device);
        mlp = new Gpt2Mlp(config, device);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor? mask, KvCache? cache)
    {
        using var normed = ln_1.call(x); // (B, T, C)
        using var attended = attn.Forward(normed, mask, cache);
        using var residual = x + attended;
        using var normedAgain = ln_2.call(residual);
        using var transformed = mlp.call(normedAgain);
        return residual + transformed; // (B, T, C)
    }
}
