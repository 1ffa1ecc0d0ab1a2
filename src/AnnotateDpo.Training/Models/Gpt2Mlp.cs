using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnnotateDpo.Training.Models;

/// <summary>GPT-2 feed-forward: c_proj(gelu(c_fc(x))), Conv1D weights held as Linear.</summary>
public sealed class Gpt2Mlp : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> c_fc;
    private readonly Module<Tensor, Tensor> c_proj;
    private readonly bool tanhApproximation;

    public Gpt2Mlp(HfModelConfig config, Device? device = null) : base(nameof(Gpt2Mlp))
    {
        // GPT-2 was trained with the tanh approximation, which HF calls gelu_new.
        tanhApproximation = config.ActivationFunction switch
        {
            null or "gelu_new" or "gelu_pytorch_tanh" => true,
            "gelu" => false,
            var other => throw new NotSupportedException(
                $"activation_function '{other}' is not supported; supported: gelu_new, gelu_pytorch_tanh, gelu."),
        };
        c_fc = Linear(config.Hidden, config.Intermediate, hasBias: true, device: device);
        c_proj = Linear(config.Intermediate, config.Hidden, hasBias: true, device: device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var expanded = c_fc.call(x); // (B, T, I)
        using var activated = tanhApproximation
            ? functional.gelu(expanded, TorchSharp.Modules.GELU.Approximate.tanh)
            : functional.gelu(expanded);
        return c_proj.call(activated); // (B, T, C)
    }
}
