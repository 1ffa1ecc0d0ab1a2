using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnnotateDpo.Training.Models;

/// <summary>The decoder stack of Llama, Qwen2 and Mistral (checkpoint prefix <c>model.</c>).</summary>
public sealed class LlamaModel : Module
{
    private readonly Embedding embed_tokens;
    private readonly ModuleList<LlamaDecoderLayer> layers;
    private readonly RmsNorm norm;
    private readonly RotaryEmbedding rotary;
    private readonly int? attentionWindow;

    public LlamaModel(HfModelConfig config, Device? device = null) : base(nameof(LlamaModel))
    {
        embed_tokens = Embedding(config.VocabSize, config.Hidden, device: device);
        layers = ModuleList(Enumerable.Range(0, config.Layers).Select(i => new LlamaDecoderLayer(config, i, device)).ToArray());
        norm = new RmsNorm(config.Hidden, config.NormEps, device);
        rotary = new RotaryEmbedding(config);
        attentionWindow = config.AttentionWindow;
        RegisterComponents();
    }

    /// <summary>The token embedding matrix (V, C); a tied LM head uses it.</summary>
    public Parameter EmbeddingWeight => embed_tokens.weight!;

    public Tensor Forward(Tensor inputIds, Tensor? attentionMask, KvCache? cache)
    {
        var past = cache?.Length ?? 0;
        // Within the window, sliding-window attention equals full causal attention, which is all we implement.
        if (past + inputIds.shape[1] > attentionWindow)
            throw new NotSupportedException(
                $"{past + inputIds.shape[1]} positions exceed the model's sliding_window of {attentionWindow}, " +
                "and sliding-window attention is not implemented; use shorter sequences.");
        using var positionIds = AttentionMasks.PositionIds(inputIds, attentionMask, past); // (B, T)
        using var mask = AttentionMasks.CausalMask(attentionMask, inputIds.shape[1], past, inputIds.device);
        using var embedded = embed_tokens.call(inputIds); // (B, T, C)
        var (cos, sin) = rotary.CosSin(positionIds, embedded.dtype); // (B, T, D)
        using (cos)
        using (sin)
        {
            var x = embedded.alias();
            foreach (var layer in layers)
            {
                using var input = x;
                x = layer.Forward(input, cos, sin, mask, cache);
            }
            using (x)
                return norm.call(x); // (B, T, C)
        }
    }
}
