using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnnotateDpo.Training.Lora;

/// <summary>
/// A frozen Linear plus a low-rank update (LoRA, Hu et al. 2021): y = W·x + (α/r)·B·A·dropout(x), with A (r × in)
/// Kaiming-uniform and B (out × r) zero, so a fresh adapter changes nothing. Submodules carry PEFT's names
/// (<c>base_layer</c>, <c>lora_A</c>, <c>lora_B</c>, <c>lora_dropout</c>).
/// </summary>
public sealed class LoraLinear : Module<Tensor, Tensor>
{
    [ComponentName(Name = "base_layer")] private readonly Linear baseLayer;
    [ComponentName(Name = "lora_A")] private readonly Linear loraA;
    [ComponentName(Name = "lora_B")] private readonly Linear loraB;
    [ComponentName(Name = "lora_dropout")] private readonly Module<Tensor, Tensor> loraDropout;

    /// <param name="dtype">
    /// The adapter's dtype; default: the base weight's. Float32 adapters on a bfloat16 base keep the optimizer's
    /// updates exact; inputs and outputs are cast at the boundary.
    /// </param>
    public LoraLinear(Linear baseLayer, int rank, double scale, double dropout, ScalarType? dtype = null) : base(nameof(LoraLinear))
    {
        this.baseLayer = baseLayer;
        Scale = scale;
        var weight = baseLayer.weight!; // (out, in)
        var (outFeatures, inFeatures) = (weight.shape[0], weight.shape[1]);
        var adapterDtype = dtype ?? weight.dtype;
        loraA = Linear(inFeatures, rank, hasBias: false, device: weight.device, dtype: adapterDtype);
        loraB = Linear(rank, outFeatures, hasBias: false, device: weight.device, dtype: adapterDtype);
        loraDropout = dropout > 0 ? Dropout(dropout) : Identity();
        using (no_grad())
        {
            // PEFT's initialisation: A as nn.Linear's default, B zero.
            init.kaiming_uniform_(loraA.weight!, a: Math.Sqrt(5));
            init.zeros_(loraB.weight!);
        }
        RegisterComponents();
    }

    /// <summary>α / r (or α / √r): the factor on B·A.</summary>
    public double Scale { get; }

    /// <summary>False: the layer is its base Linear alone (the adapter's weights are kept).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>True once B·A is folded into the base weight; the adapter path is then skipped.</summary>
    public bool Merged { get; private set; }

    public Linear BaseLayer => baseLayer;

    /// <summary>(r, in)</summary>
    public Parameter LoraA => loraA.weight!;

    /// <summary>(out, r)</summary>
    public Parameter LoraB => loraB.weight!;

    public override Tensor forward(Tensor x)
    {
        var result = baseLayer.call(x); // (…, out)
        if (!Enabled || Merged)
            return result;

        using (result)
        {
            var adapterDtype = loraA.weight!.dtype;
            using var input = x.dtype == adapterDtype ? x.alias() : x.to(adapterDtype);
            using var dropped = loraDropout.call(input); // (…, in)
            using var down = loraA.call(dropped); // (…, r)
            using var up = loraB.call(down); // (…, out)
            using var update = up.dtype == result.dtype ? up.alias() : up.to(result.dtype);
            return result.add(update, alpha: Scale);
        }
    }

    /// <summary>W ← W + (α/r)·B·A.</summary>
    public void Merge()
    {
        if (Merged)
            return;
        using (no_grad())
        {
            using var delta = Delta();
            baseLayer.weight!.add_(delta);
        }
        Merged = true;
    }

    /// <summary>W ← W − (α/r)·B·A, undoing <see cref="Merge"/> (up to rounding).</summary>
    public void Unmerge()
    {
        if (!Merged)
            return;
        using (no_grad())
        {
            using var delta = Delta();
            baseLayer.weight!.sub_(delta);
        }
        Merged = false;
    }

    /// <returns>(out, in) in the base weight's dtype.</returns>
    private Tensor Delta()
    {
        using var product = loraB.weight!.matmul(loraA.weight!); // (out, in)
        return product.mul(Scale).to(baseLayer.weight!.dtype);
    }
}
