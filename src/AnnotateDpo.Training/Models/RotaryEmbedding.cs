using static TorchSharp.torch;

namespace AnnotateDpo.Training.Models;

/// <summary>
/// Rotary position embedding (Su et al., 2021) in HF's rotate-half layout, with the llama3 frequency scaling that
/// Llama 3.1/3.2 use to stretch an 8k-trained context. No parameters, so it is not a module.
/// </summary>
public sealed class RotaryEmbedding
{
    private readonly float[] inverseFrequencies;

    public RotaryEmbedding(HfModelConfig config)
    {
        var dim = config.HeadSize;
        var frequencies = Enumerable.Range(0, dim / 2)
            .Select(i => 1.0 / Math.Pow(config.RopeBase, 2.0 * i / dim))
            .ToArray();
        inverseFrequencies = config.RopeScaling?.Kind switch
        {
            null or "default" => frequencies.Select(f => (float)f).ToArray(),
            "llama3" => Llama3Scaled(frequencies, config.RopeScaling),
            var kind => throw new NotSupportedException(
                $"rope_scaling type '{kind}' is not supported; supported: default, llama3."),
        };
    }

    public IReadOnlyList<float> InverseFrequencies => inverseFrequencies;

    /// <summary>cos and sin (B, T, D) for position ids (B, T), in <paramref name="dtype"/>.</summary>
    public (Tensor Cos, Tensor Sin) CosSin(Tensor positionIds, ScalarType dtype)
    {
        using var inverse = tensor(inverseFrequencies, device: positionIds.device); // (D/2)
        using var asFloat = positionIds.to(ScalarType.Float32); // (B, T)
        using var positions = asFloat.unsqueeze(-1); // (B, T, 1)
        using var angles = positions * inverse; // (B, T, D/2)
        using var both = cat([angles, angles], dim: -1); // (B, T, D)
        using var cos = both.cos();
        using var sin = both.sin();
        return (cos.to(dtype), sin.to(dtype));
    }

    /// <summary>Rotates x (B, H, T, D) by the angles whose cos and sin are (B, T, D).</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        var half = x.shape[^1] / 2;
        using var first = x[.., .., .., ..(int)half];
        using var second = x[.., .., .., (int)half..];
        using var negated = second.neg();
        using var rotated = cat([negated, first], dim: -1); // (B, H, T, D)
        using var c = cos.unsqueeze(1); // (B, 1, T, D)
        using var s = sin.unsqueeze(1);
        using var straight = x * c;
        using var turned = rotated * s;
        return straight + turned;
    }

    // HF's _compute_llama3_parameters: long wavelengths are slowed by `factor`, short ones kept, the band between
    // interpolated smoothly.
    private static float[] Llama3Scaled(double[] frequencies, RopeScaling scaling)
    {
        var lowFreqWavelength = scaling.OriginalMaxPositionEmbeddings / scaling.LowFreqFactor;
        var highFreqWavelength = scaling.OriginalMaxPositionEmbeddings / scaling.HighFreqFactor;
        return frequencies.Select(frequency =>
        {
            var wavelength = 2 * Math.PI / frequency;
            if (wavelength < highFreqWavelength)
                return (float)frequency;
            if (wavelength > lowFreqWavelength)
                return (float)(frequency / scaling.Factor);
            var smooth = (scaling.OriginalMaxPositionEmbeddings / wavelength - scaling.LowFreqFactor)
                / (scaling.HighFreqFactor - scaling.LowFreqFactor);
            return (float)((1 - smooth) * frequency / scaling.Factor + smooth * frequency);
        }).ToArray();
    }
}
