using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Optimization;

public static class AdamWFactory
{
    private const double Epsilon = 1e-8;

    /// <summary>
    /// AdamW with weight decay on weights of two or more dimensions (matrices, embeddings) only: decaying norms and
    /// biases pulls them towards zero for no benefit (the nanoGPT and Hugging Face convention).
    /// </summary>
    public static optim.Optimizer Create(IEnumerable<Parameter> trainable, double learningRate, double beta1, double beta2, double weightDecay)
    {
        var parameters = trainable.ToList();
        var groups = new[]
        {
            new AdamW.ParamGroup(parameters.Where(p => p.dim() >= 2), learningRate, beta1, beta2, Epsilon, weightDecay),
            new AdamW.ParamGroup(parameters.Where(p => p.dim() < 2), learningRate, beta1, beta2, Epsilon, 0.0),
        };
        return optim.AdamW(groups, learningRate, beta1, beta2, Epsilon, weightDecay);
    }
}
