using AnnotateDpo.Training.Hf;
using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.Runtime;

namespace AnnotateDpo.Training.Tests.Scoring;

/// <summary>
/// The models engineer's tiny random models (seeded through their own generator, so tests running in parallel
/// cannot disturb each other's weights) in eval mode, with a vocabulary small enough to spell one character per id.
/// </summary>
public static class TinyModels
{
    public const int VocabSize = 61;

    public static CausalLM Create(ModelArchitecture architecture = ModelArchitecture.Llama, long seed = 7)
    {
        // CausalLM's constructor reaches native code (nn.Module's) before its own EnsureInitialized call.
        TorchRuntime.EnsureInitialized();
        var model = TinyModelFactory.Create(TinyModelFactory.Config(architecture, VocabSize), seed);
        model.eval();
        return model;
    }

    /// <summary>Random token ids in [1, V).</summary>
    public static long[] RandomIds(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (long)random.Next(1, VocabSize)).ToArray();
    }
}
