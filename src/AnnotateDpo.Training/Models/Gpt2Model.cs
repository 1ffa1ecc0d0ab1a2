using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnnotateDpo.Training.Models;

/// <summary>The GPT-2 decoder stack (checkpoint prefix <c>transformer.</c>).</summary>
public sealed class Gpt2Model : Module
{
    private readonly Embedding wte;
    private readonly Embedding wpe;
    private readonly ModuleList<Gpt2Block> h;
    private readonly LayerNorm ln_f;

    public Gpt2Model(HfModelConfig config, Device? device = null) : base(nameof(Gpt2Model))
    {
        wte = Embedding(config.VocabSize, config.Hidden, device: device);
        wpe = Embedding(config.MaxPositions, config.Hidden, device: device);
        h = ModuleList(Enumerable.Range(0, config.Layers).Select(i => new Gpt2Block(config, i, device)).ToArray());
        ln_f = LayerNorm(config.Hidden, config.NormEps, device: device);
        RegisterComponents();
    }

    /// <summary>The token embedding matrix (V, C); the tied LM head uses it.</summary>
    public Parameter EmbeddingWeight => wte.weight!;

    public Tensor Forward(Tensor inputIds, Tensor? attentionMask, KvCache? cache)
    {
        var past = cache?.Length ?? 0;
        using var positionIds = AttentionMasks.PositionIds(inputIds, attentionMask, past); // (B, T)
        using var mask = AttentionMasks.CausalMask(attentionMask, inputIds.shape[1], past, inputIds.device);
        using var tokens = wte.call(inputIds); // (B, T, C)
        using var positions = wpe.call(positionIds); // (B, T, C)
        var x = tokens + positions;
        foreach (var block in h)
        {
            using var input = x;
            x = block.Forward(input, mask, cache);
        }
        using (x)
            return ln_f.call(x); // (B, T, C)
    }
}
