using System.Reflection;
using AnnotateDpo.Training.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Models;

/// <summary>A decoder-only language model over token ids.</summary>
public interface ICausalLM
{
    HfModelConfig Config { get; }

    /// <summary>
    /// Final hidden states (after the final norm), for callers that apply the LM head in chunks.
    /// </summary>
    /// <param name="inputIds">(B, T) int64 token ids.</param>
    /// <param name="attentionMask">(B, past + T) with 1 for real tokens, 0 for padding (left or right); null: all real.</param>
    /// <param name="cache">Keys and values of earlier positions; this call appends to it. Null: no cache.</param>
    /// <returns>(B, T, C)</returns>
    Tensor ForwardHidden(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null);

    /// <summary>Projects hidden states (..., C) to vocabulary logits (..., V).</summary>
    Tensor ApplyLmHead(Tensor hidden);

    /// <summary>Logits (B, T, V): <see cref="ApplyLmHead"/> of <see cref="ForwardHidden"/>.</summary>
    Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null);

    KvCache CreateCache();
}

/// <summary>
/// The base of every model: the <see cref="ICausalLM"/> contract plus how parameter names and layouts map onto the
/// Hugging Face checkpoint (identity except where an architecture stores a weight differently).
/// </summary>
public abstract class CausalLM : nn.Module, ICausalLM
{
    // Runs before nn.Module's constructor, the first native call a model makes.
    static CausalLM() => TorchRuntime.EnsureInitialized();

    protected CausalLM(string name, HfModelConfig config) : base(name) => Config = config;

    public HfModelConfig Config { get; }

    public abstract Tensor ForwardHidden(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null);

    public abstract Tensor ApplyLmHead(Tensor hidden);

    public Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null)
    {
        using var hidden = ForwardHidden(inputIds, attentionMask, cache);
        return ApplyLmHead(hidden);
    }

    public KvCache CreateCache() => new(Config.Layers);

    /// <summary>
    /// Swaps the projection Linears (q/k/v/o_proj, gate/up/down_proj, c_attn, c_proj, c_fc) for the modules
    /// <paramref name="replace"/> returns — LoRA wrappers, say — keeping their names; null keeps the Linear.
    /// Returns the full names replaced (e.g. <c>model.layers.0.self_attn.q_proj</c>).
    /// </summary>
    public IReadOnlyList<string> ReplaceLinears(Func<string, Linear, nn.Module<Tensor, Tensor>?> replace)
    {
        // Projections are fields typed Module<Tensor, Tensor> precisely so that this can swap them.
        var replaced = new List<string>();
        foreach (var (prefix, owner) in named_modules().ToList())
        {
            var fields = owner.GetType().GetFields(BindingFlags.Instance | BindingFlags.NonPublic)
                .Where(f => f.FieldType == typeof(nn.Module<Tensor, Tensor>));
            foreach (var field in fields)
            {
                var name = $"{prefix}.{field.Name}";
                if (field.GetValue(owner) is not Linear linear || replace(name, linear) is not { } replacement)
                    continue;
                // TorchSharp refuses to register a name twice; registering null removes the old one.
                owner.register_module(field.Name, null!);
                owner.register_module(field.Name, replacement);
                field.SetValue(owner, replacement);
                replaced.Add(name);
            }
        }
        return replaced;
    }

    /// <summary>The parameter's tensor in the checkpoint's layout (e.g. GPT-2's Conv1D weights are transposed).</summary>
    public virtual Tensor ToCheckpointLayout(string name, Tensor parameter) => parameter.alias();

    /// <summary>The checkpoint tensor in this module's layout; inverse of <see cref="ToCheckpointLayout"/>.</summary>
    public virtual Tensor FromCheckpointLayout(string name, Tensor stored) => stored.alias();

    /// <summary>
    /// The parameter name a checkpoint key loads into, or null for keys HF checkpoints may carry that are not
    /// parameters here (non-persistent buffers such as GPT-2's causal mask, or a tied head stored twice).
    /// </summary>
    public virtual string? MapCheckpointKey(string key) => key;
}
