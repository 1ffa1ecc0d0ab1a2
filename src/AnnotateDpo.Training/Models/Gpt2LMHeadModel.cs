using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnnotateDpo.Training.Models;

/// <summary>
/// GPT-2 with its LM head, tied to <c>transformer.wte.weight</c> unless tie_word_embeddings is false.
/// </summary>
public sealed class Gpt2LMHeadModel : CausalLM
{
    private const string Prefix = "transformer.";

    // Conv1D weights in HF's layout are (in, out); ours are Linear (out, in).
    private static readonly string[] Conv1DWeights = [".attn.c_attn.weight", ".attn.c_proj.weight", ".mlp.c_fc.weight", ".mlp.c_proj.weight"];

    private readonly Gpt2Model transformer;
    private readonly Linear? lm_head;

    public Gpt2LMHeadModel(HfModelConfig config, Device? device = null) : base(nameof(Gpt2LMHeadModel), config)
    {
        transformer = new Gpt2Model(config, device);
        lm_head = config.TiedEmbeddings ? null : Linear(config.Hidden, config.VocabSize, hasBias: false, device: device);
        RegisterComponents();
    }

    public override Tensor ForwardHidden(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null) =>
        transformer.Forward(inputIds, attentionMask, cache);

    public override Tensor ApplyLmHead(Tensor hidden) =>
        lm_head?.call(hidden) ?? functional.linear(hidden, transformer.EmbeddingWeight); // (B, T, V)

    public override Tensor ToCheckpointLayout(string name, Tensor parameter) =>
        IsConv1DWeight(name) ? parameter.t() : parameter.alias();

    public override Tensor FromCheckpointLayout(string name, Tensor stored) =>
        IsConv1DWeight(name) ? stored.t() : stored.alias();

    // OpenAI's original checkpoints drop the "transformer." prefix and carry the causal-mask buffers
    // attn.bias / attn.masked_bias, which HF ignores on load.
    public override string? MapCheckpointKey(string key)
    {
        if (key.EndsWith(".attn.bias", StringComparison.Ordinal) || key.EndsWith(".attn.masked_bias", StringComparison.Ordinal)
            || (lm_head is null && key == "lm_head.weight"))
            return null;
        return key.StartsWith(Prefix, StringComparison.Ordinal) || key.StartsWith("lm_head.", StringComparison.Ordinal)
            ? key
            : Prefix + key;
    }

    private static bool IsConv1DWeight(string name) =>
        Conv1DWeights.Any(suffix => name.EndsWith(suffix, StringComparison.Ordinal));
}
