using AnnotateDpo.Training.Generation;
using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.Tests.Scoring;

namespace AnnotateDpo.Training.Tests.Generation;

public class TextGeneratorTests
{
    // One distinct character per id of the tiny vocabulary, so decoded text maps back to ids.
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private static readonly int[] Prompt = [3, 17, 42, 8, 25];

    [Theory]
    [InlineData(ModelArchitecture.Llama)]
    [InlineData(ModelArchitecture.Qwen2)]
    [InlineData(ModelArchitecture.Mistral)]
    [InlineData(ModelArchitecture.Gpt2)]
    public void Generate_KvCacheVersusRecomputingTheSequence_SameTokensAndLastLogitsWithin1e4(ModelArchitecture architecture)
    {
        using var model = TinyModels.Create(architecture);
        var generator = NewGenerator(model);
        var options = new GenerationOptions { MaxNewTokens = 12 };
        var cachedLogits = new List<float[]>();
        var recomputedLogits = new List<float[]>();

        var cached = generator.Generate(Prompt, options, null, cachedLogits.Add, CancellationToken.None);
        var recomputed = generator.Generate(Prompt, options with { UseCache = false }, null, recomputedLogits.Add, CancellationToken.None);

        Assert.Equal(12, cached.TokenIds.Count);
        Assert.Equal(recomputed.TokenIds, cached.TokenIds);
        Assert.Equal(StopReason.MaxNewTokens, cached.StopReason);
        var maxDiff = cachedLogits[^1].Zip(recomputedLogits[^1], (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxDiff < 1e-4, $"last-step logits differ by {maxDiff}");
    }

    [Fact]
    public void Generate_SameSeed_SameSampleAndOtherSeedDiffers()
    {
        using var model = TinyModels.Create();
        var generator = NewGenerator(model);
        var options = new GenerationOptions { MaxNewTokens = 20, DoSample = true, Temperature = 1.5, Seed = 123 };

        var first = generator.Generate(Prompt, options);
        var second = generator.Generate(Prompt, options);
        var other = generator.Generate(Prompt, options with { Seed = 124 });

        Assert.Equal(first.TokenIds, second.TokenIds);
        Assert.Equal(first.Text, second.Text);
        Assert.NotEqual(first.TokenIds, other.TokenIds);
    }

    [Fact]
    public void Generate_TemperatureZeroOrTopKOne_EqualsGreedyEveryTime()
    {
        using var model = TinyModels.Create();
        var generator = NewGenerator(model);
        var greedy = new GenerationOptions { MaxNewTokens = 10 };

        var reference = generator.Generate(Prompt, greedy);
        var again = generator.Generate(Prompt, greedy);
        var temperatureZero = generator.Generate(Prompt, greedy with { DoSample = true, Temperature = 0 });
        var topKOne = generator.Generate(Prompt, greedy with { DoSample = true, TopK = 1, Seed = 5 });

        Assert.Equal(reference.TokenIds, again.TokenIds);
        Assert.Equal(reference.TokenIds, temperatureZero.TokenIds);
        Assert.Equal(reference.TokenIds, topKOne.TokenIds);
    }

    [Fact]
    public void Generate_StopString_TextEndsBeforeItAndStreamedDeltasAddUp()
    {
        using var model = TinyModels.Create();
        var generator = NewGenerator(model);
        var unrestricted = generator.Generate(Prompt, new GenerationOptions { MaxNewTokens = 10 });
        var stop = unrestricted.Text.Substring(4, 2);
        var deltas = new List<string>();

        var result = generator.Generate(
            Prompt, new GenerationOptions { MaxNewTokens = 10, StopStrings = [stop] }, token => deltas.Add(token.TextDelta));

        var expectedText = unrestricted.Text[..unrestricted.Text.IndexOf(stop, StringComparison.Ordinal)];
        Assert.Equal(StopReason.StopString, result.StopReason);
        Assert.Equal(expectedText, result.Text);
        Assert.Equal(result.Text, string.Concat(deltas));
        Assert.True(result.TokenIds.Count <= 6);
    }

    [Fact]
    public void Generate_EosTokenAppears_StopsWithIdKeptAndTextWithoutIt()
    {
        using var model = TinyModels.Create();
        var generator = NewGenerator(model);
        var unrestricted = generator.Generate(Prompt, new GenerationOptions { MaxNewTokens = 8 });
        var eos = unrestricted.TokenIds[3];
        var firstEos = unrestricted.TokenIds.ToList().IndexOf(eos);

        var result = generator.Generate(Prompt, new GenerationOptions { MaxNewTokens = 8, EosTokenIds = [eos] });

        Assert.Equal(StopReason.EndOfSequence, result.StopReason);
        Assert.Equal(unrestricted.TokenIds.Take(firstEos + 1), result.TokenIds);
        Assert.Equal(Decode(unrestricted.TokenIds.Take(firstEos).ToList()), result.Text);
    }

    [Fact]
    public void Generate_CancelledAfterThreeTokens_ThrowsAndProducesNoMore()
    {
        using var model = TinyModels.Create();
        var generator = NewGenerator(model);
        using var cancellation = new CancellationTokenSource();
        var tokens = new List<GeneratedToken>();

        Assert.Throws<OperationCanceledException>(() => generator.Generate(
            Prompt,
            new GenerationOptions { MaxNewTokens = 50 },
            token =>
            {
                tokens.Add(token);
                if (tokens.Count == 3)
                    cancellation.Cancel();
            },
            cancellation.Token));

        Assert.Equal(3, tokens.Count);
    }

    [Fact]
    public async Task StreamAsync_Tokens_EqualGenerateAndCancellationStops()
    {
        using var model = TinyModels.Create();
        var generator = NewGenerator(model);
        var options = new GenerationOptions { MaxNewTokens = 6 };
        var expected = generator.Generate(Prompt, options);

        var streamed = new List<GeneratedToken>();
        await foreach (var token in generator.StreamAsync(Prompt, options))
            streamed.Add(token);

        Assert.Equal(expected.TokenIds, streamed.Select(t => t.TokenId));
        Assert.Equal(expected.Text, string.Concat(streamed.Select(t => t.TextDelta)));

        using var cancellation = new CancellationTokenSource();
        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in generator.StreamAsync(Prompt, options with { MaxNewTokens = 50 }, cancellation.Token))
            {
                if (++seen == 2)
                    await cancellation.CancelAsync();
            }
        });
        Assert.Equal(2, seen);
    }

    [Fact]
    public void Generate_PromptFillsContext_Throws()
    {
        using var model = TinyModels.Create();
        var generator = NewGenerator(model);
        var prompt = Enumerable.Repeat(1, model.Config.MaxPositions).ToArray();

        var error = Assert.Throws<ArgumentException>(() => generator.Generate(prompt, new GenerationOptions()));

        Assert.Contains("at most", error.Message);
    }

    [Fact]
    public void Generate_InvalidTopP_ThrowsNamingSetting()
    {
        using var model = TinyModels.Create();
        var generator = NewGenerator(model);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            generator.Generate(Prompt, new GenerationOptions { DoSample = true, TopP = 0 }));

        Assert.Equal("TopP", error.ParamName);
    }

    private static TextGenerator NewGenerator(CausalLM model) => new(model, Decode);

    private static string Decode(IReadOnlyList<int> ids) => string.Concat(ids.Select(id => Alphabet[id]));
}
