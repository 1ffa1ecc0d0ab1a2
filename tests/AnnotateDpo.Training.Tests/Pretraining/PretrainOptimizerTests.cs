using AnnotateDpo.Training.Hf;
using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.Pretraining;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Tests.Pretraining;

public sealed class PretrainOptimizerTests
{
    [Fact]
    public void CreateOptimizer_ZeroGradients_DecaysOnlyTwoDimensionalWeights()
    {
        using var model = TinyModelFactory.Create(TinyModelFactory.Config(ModelArchitecture.Llama), seed: 1);
        var options = new PretrainOptions { CorpusDirectory = "", OutputDirectory = "", LearningRate = 0.1, WeightDecay = 0.5 };
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var optimizer = PretrainRunner.CreateOptimizer(model, options);

        // Zero gradients: Adam's update is 0/(0 + eps) = 0, so only the decoupled decay p ← p·(1 − lr·wd) remains.
        using (var zero = model.parameters().Select(p => p.sum() * 0).Aggregate((a, b) => a + b))
        {
            zero.backward();
        }
        optimizer.step();

        foreach (var (name, parameter) in model.named_parameters())
        {
            var expected = parameter.dim() >= 2 ? before[name] * (1 - 0.1 * 0.5) : before[name];
            Assert.True(parameter.allclose(expected, rtol: 1e-5, atol: 1e-7), name);
        }
        Assert.Contains(model.named_parameters(), p => p.parameter.dim() == 1);
    }

    [Fact]
    public void InitializeWeights_SameSeed_SameWeightsAndGpt2Scale()
    {
        var config = TinyModelFactory.Config(ModelArchitecture.Llama);
        using var a = CausalLMFactory.Create(config);
        using var b = CausalLMFactory.Create(config);

        PretrainRunner.InitializeWeights(a, seed: 9);
        PretrainRunner.InitializeWeights(b, seed: 9);

        var bWeights = b.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in a.named_parameters())
        {
            Assert.True(parameter.allclose(bWeights[name], rtol: 0, atol: 0), name);
        }
        var embedding = a.named_parameters().Single(p => p.name == "model.embed_tokens.weight").parameter;
        Assert.InRange(embedding.std().item<float>(), 0.018f, 0.022f);
        var norm = a.named_parameters().First(p => p.name.EndsWith("norm.weight", StringComparison.Ordinal)).parameter;
        Assert.True(norm.eq(1).all().item<bool>());
    }

    [Fact]
    public void TrainingStepBenchmark_TinyModel_ReportsPositiveTimesAndPeakMemory()
    {
        using var model = TinyModelFactory.Create(TinyModelFactory.Config(ModelArchitecture.Llama), seed: 2);

        var result = TrainingStepBenchmark.Run(model, batchSize: 2, sequenceLength: 16, steps: 3);

        Assert.True(result.ForwardMs > 0 && result.BackwardMs > 0 && result.OptimizerMs > 0);
        Assert.Equal(32 / (result.StepMs / 1000), result.TokensPerSecond, precision: 6);
        Assert.True(result.PeakResidentBytes > 10L * 1024 * 1024);
        Assert.Equal(model.parameters().Sum(p => p.numel()), result.Parameters);
    }
}
