using AnnotateDpo.Training.Generation;
using AnnotateDpo.Training.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Tests.Generation;

public class TokenSamplerTests
{
    public TokenSamplerTests() => TorchRuntime.EnsureInitialized();

    [Theory]
    [InlineData(new[] { 0 }, 1)] // 2 / 4 = 0.5 falls below 1
    [InlineData(new[] { 2 }, 0)] // −1 · 4 only moves further down
    [InlineData(new int[0], 0)]
    public void Next_RepetitionPenalty_DividesPositiveAndMultipliesNegativeLogits(int[] seen, int expected)
    {
        using var logits = tensor(new[] { 2f, 1f, -1f });
        using var sampler = new TokenSampler(new GenerationOptions { RepetitionPenalty = 4 }, CPU);

        Assert.Equal(expected, sampler.Next(logits, seen));
    }

    [Fact]
    public void Next_NegativeLogitSeen_PenaltyPushesItBelowAnother()
    {
        using var logits = tensor(new[] { -0.5f, -1f });
        using var sampler = new TokenSampler(new GenerationOptions { RepetitionPenalty = 3 }, CPU);

        Assert.Equal(1, sampler.Next(logits, [0])); // −1.5 < −1
    }

    [Fact]
    public void Next_TopP_NeverDrawsTokensOutsideTheNucleus()
    {
        // Probabilities 0.5, 0.3, 0.2: with top_p 0.6 the nucleus is {0, 1}.
        using var logits = tensor(new[] { MathF.Log(0.5f), MathF.Log(0.3f), MathF.Log(0.2f) });
        using var sampler = new TokenSampler(new GenerationOptions { DoSample = true, TopP = 0.6, Seed = 1 }, CPU);

        var draws = Enumerable.Range(0, 300).Select(_ => sampler.Next(logits, [])).ToList();

        Assert.DoesNotContain(2, draws);
        Assert.Contains(0, draws);
        Assert.Contains(1, draws);
    }

    [Fact]
    public void Next_TopK_NeverDrawsBelowTheKthToken()
    {
        using var logits = tensor(new[] { 0.1f, 0.3f, 0.2f, 0f });
        using var sampler = new TokenSampler(new GenerationOptions { DoSample = true, TopK = 2, Seed = 2 }, CPU);

        var draws = Enumerable.Range(0, 300).Select(_ => sampler.Next(logits, [])).ToHashSet();

        Assert.Equal(new HashSet<int> { 1, 2 }, draws);
    }
}
