using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Models;

/// <summary>Root-mean-square layer norm (Zhang and Sennrich, 2019), computed in fp32 as HF does.</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double eps;

    public RmsNorm(long size, double eps, Device? device = null) : base(nameof(RmsNorm))
    {
        weight = new Parameter(ones(size, device: device));
        this.eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var x32 = x.to(ScalarType.Float32); // (B, T, C)
        using var squared = x32.square();
        using var variance = squared.mean([-1], keepdim: true); // (B, T, 1)
        using var inverse = (variance + eps).rsqrt_();
        using var normed = x32 * inverse;
        using var cast = normed.to(x.dtype);
        return weight * cast; // (B, T, C)
    }
}
