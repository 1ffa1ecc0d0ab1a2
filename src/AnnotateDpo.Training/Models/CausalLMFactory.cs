using static TorchSharp.torch;

namespace AnnotateDpo.Training.Models;

/// <summary>Builds the module for a config's architecture, with freshly initialised (random) weights.</summary>
public static class CausalLMFactory
{
    /// <param name="device">Where parameters live; <c>torch.device("meta")</c> builds shapes without memory.</param>
    public static CausalLM Create(HfModelConfig config, Device? device = null) => config.Architecture switch
    {
        ModelArchitecture.Llama or ModelArchitecture.Qwen2 or ModelArchitecture.Mistral => new LlamaForCausalLM(config, device),
        ModelArchitecture.Gpt2 => new Gpt2LMHeadModel(config, device),
        var other => throw new NotSupportedException($"Architecture {other} has no model here."),
    };
}
