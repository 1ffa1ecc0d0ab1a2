using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnnotateDpo.Training.Models;

/// <summary>
/// Llama, Qwen2 and Mistral with their LM head. With tie_word_embeddings the head has no weight of its own: it
/// multiplies by <c>model.embed_tokens.weight</c>, so there is one parameter, saved once under that key.
/// </summary>
public sealed class LlamaForCausalLM : CausalLM
{
    private readonly LlamaModel model;
    private readonly Linear? lm_head;

    public LlamaForCausalLM(HfModelConfig config, Device? device = null) : base(nameof(LlamaForCausalLM), config)
    {
        model = new LlamaModel(config, device);
        lm_head = config.TiedEmbeddings ? null : Linear(config.Hidden, config.VocabSize, hasBias: false, device: device);
        RegisterComponents();
    }

    public override Tensor ForwardHidden(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null) =>
        model.Forward(inputIds, attentionMask, cache);

    public override Tensor ApplyLmHead(Tensor hidden) =>
        lm_head?.call(hidden) ?? functional.linear(hidden, model.EmbeddingWeight); // (B, T, V)

    // Tied checkpoints sometimes also store the head; HF ignores that copy and so do we.
    public override string? MapCheckpointKey(string key) =>
        key.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal) || (lm_head is null && key == "lm_head.weight")
            ? null
            : key;
}
