using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnnotateDpo.Training.Models;

/// <summary>SwiGLU feed-forward (Shazeer, 2020): down(silu(gate(x)) * up(x)).</summary>
public sealed class LlamaMlp : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> gate_proj;
    private readonly Module<Tensor, Tensor> up_proj;
    private readonly Module<Tensor, Tensor> down_proj;

    public LlamaMlp(HfModelConfig config, Device? device = null) : base(nameof(LlamaMlp))
    {
        if (config.HiddenAct is not (null or "silu"))
            throw new NotSupportedException($"hidden_act '{config.HiddenAct}' is not supported; supported: silu.");
        var bias = config.MlpBias == true;
        gate_proj = Linear(config.Hidden, config.Intermediate, hasBias: bias, device: device);
        up_proj = Linear(config.Hidden, config.Intermediate, hasBias: bias, device: device);
        down_proj = Linear(config.Intermediate, config.Hidden, hasBias: bias, device: device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var gate = gate_proj.call(x); // (B, T, I)
        using var activated = functional.silu(gate);
        using var up = up_proj.call(x); // (B, T, I)
        using var product = activated * up;
        return down_proj.call(product); // (B, T, C)
    }
}
