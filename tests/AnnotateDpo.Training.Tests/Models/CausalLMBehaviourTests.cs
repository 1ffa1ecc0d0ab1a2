using AnnotateDpo.Training.Hf;
using AnnotateDpo.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Tests.Models;

public class CausalLMBehaviourTests
{
    public static TheoryData<ModelArchitecture> Architectures =>
        [ModelArchitecture.Llama, ModelArchitecture.Qwen2, ModelArchitecture.Mistral, ModelArchitecture.Gpt2];

    private static readonly long[] Sequence = [7, 21, 3, 99, 14, 60, 2];

    [Theory]
    [InlineData(ModelArchitecture.Llama, "model.embed_tokens.weight")]
    [InlineData(ModelArchitecture.Qwen2, "model.embed_tokens.weight")]
    [InlineData(ModelArchitecture.Gpt2, "transformer.wte.weight")]
    public void TiedModel_Backward_OneParameterGetsHeadAndEmbeddingGradients(ModelArchitecture architecture, string embeddingKey)
    {
        var tiedConfig = TinyModelFactory.Config(architecture);
        using var tied = TinyModelFactory.Create(tiedConfig, seed: 2);
        using var untied = CausalLMFactory.Create(tiedConfig with { TieWordEmbeddings = false });
        var tiedParameters = tied.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var untiedParameters = untied.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
        {
            foreach (var (name, parameter) in tiedParameters)
                untiedParameters[name].copy_(parameter);
            untiedParameters["lm_head.weight"].copy_(tiedParameters[embeddingKey]);
        }
        using var ids = torch.tensor(Sequence).unsqueeze(0);

        using (var logits = tied.Forward(ids))
        using (var loss = logits.square().mean())
            loss.backward();
        using (var logits = untied.Forward(ids))
        using (var loss = logits.square().mean())
            loss.backward();

        Assert.DoesNotContain("lm_head.weight", tiedParameters.Keys);
        Assert.Single(tiedParameters.Keys, k => k.EndsWith("wte.weight") || k.EndsWith("embed_tokens.weight"));
        using var expected = untiedParameters[embeddingKey].grad! + untiedParameters["lm_head.weight"].grad!;
        Assert.True(tiedParameters[embeddingKey].grad!.allclose(expected, rtol: 1e-5, atol: 1e-7));
        using var headOnly = untiedParameters["lm_head.weight"].grad!;
        Assert.False(tiedParameters[embeddingKey].grad!.allclose(headOnly, rtol: 1e-3, atol: 1e-6));
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Forward_LeftAndRightPadding_RealTokensMatchUnpaddedSequence(ModelArchitecture architecture)
    {
        using var model = TinyModelFactory.Create(TinyModelFactory.Config(architecture), seed: 1);
        using var noGrad = no_grad();
        using var alone = torch.tensor(Sequence).unsqueeze(0); // (1, 7)
        long[] pad = [0, 0, 0];
        using var ids = torch.tensor(pad.Concat(Sequence).Concat(Sequence).Concat(pad).ToArray(), 2, 10);
        using var mask = torch.tensor(new long[] { 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0 }, 2, 10);

        using var expected = model.Forward(alone); // (1, 7, V)
        using var padded = model.Forward(ids, mask); // (2, 10, V)

        using var left = padded[0, 3..];
        using var right = padded[1, ..7];
        using var reference = expected[0];
        Assert.True(left.allclose(reference, rtol: 0, atol: 1e-5));
        Assert.True(right.allclose(reference, rtol: 0, atol: 1e-5));
        using var finite = padded.isfinite().all();
        Assert.True(finite.item<bool>());
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Forward_WithKvCache_TokenByTokenMatchesFullSequence(ModelArchitecture architecture)
    {
        using var model = TinyModelFactory.Create(TinyModelFactory.Config(architecture), seed: 8);
        using var noGrad = no_grad();
        using var ids = torch.tensor(Sequence).unsqueeze(0); // (1, 7)
        using var expected = model.Forward(ids); // (1, 7, V)
        using var cache = model.CreateCache();

        using var prefix = ids[.., ..4];
        using var first = model.Forward(prefix, cache: cache); // (1, 4, V)
        var steps = new List<Tensor> { first.alias() };
        for (var t = 4; t < Sequence.Length; t++)
        {
            using var step = ids[.., t..(t + 1)];
            steps.Add(model.Forward(step, cache: cache)); // (1, 1, V)
        }
        using var incremental = torch.cat(steps, dim: 1);

        Assert.Equal(Sequence.Length, cache.Length);
        Assert.True(incremental.allclose(expected, rtol: 0, atol: 1e-5));
        foreach (var step in steps)
            step.Dispose();
    }

    [Fact]
    public void Forward_LeftPaddedBatchWithKvCache_MatchesFullForward()
    {
        using var model = TinyModelFactory.Create(TinyModelFactory.Config(ModelArchitecture.Llama), seed: 6);
        using var noGrad = no_grad();
        using var ids = torch.tensor(new long[] { 0, 0, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6 }, 2, 6);
        using var mask = torch.tensor(new long[] { 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, 2, 6);
        using var expected = model.Forward(ids, mask); // (2, 6, V)
        using var cache = model.CreateCache();

        using var prefixIds = ids[.., ..5];
        using var prefixMask = mask[.., ..5];
        using var prefix = model.Forward(prefixIds, prefixMask, cache);
        using var lastId = ids[.., 5..];
        using var last = model.Forward(lastId, mask, cache); // (2, 1, V)

        using var expectedLast = expected[.., 5..];
        Assert.True(last.allclose(expectedLast, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Forward_MistralBeyondSlidingWindow_ThrowsNamingTheWindow()
    {
        var config = TinyModelFactory.Config(ModelArchitecture.Mistral) with { SlidingWindow = 6 };
        using var model = TinyModelFactory.Create(config);
        using var noGrad = no_grad();
        using var withinWindow = torch.tensor(Sequence[..6]).unsqueeze(0);
        using var beyondWindow = torch.tensor(Sequence).unsqueeze(0);

        using var logits = model.Forward(withinWindow);
        var error = Assert.Throws<NotSupportedException>(() => model.Forward(beyondWindow));

        Assert.Equal([1L, 6, config.VocabSize], logits.shape);
        Assert.Contains("sliding_window of 6", error.Message);
    }

    [Fact]
    public void ForwardHidden_ThenApplyLmHead_EqualsForward()
    {
        using var model = TinyModelFactory.Create(TinyModelFactory.Config(ModelArchitecture.Qwen2), seed: 4);
        using var noGrad = no_grad();
        using var ids = torch.tensor(Sequence).unsqueeze(0);

        using var hidden = model.ForwardHidden(ids); // (1, T, C)
        using var logits = model.ApplyLmHead(hidden);
        using var expected = model.Forward(ids);

        Assert.Equal([1L, Sequence.Length, 64], hidden.shape);
        Assert.True(logits.eq(expected).all().item<bool>());
    }

    [Theory]
    [InlineData(ModelArchitecture.Llama, 14)]
    [InlineData(ModelArchitecture.Gpt2, 8)]
    public void ReplaceLinears_ScaledWrapper_ForwardUsesReplacementsUnderSameNames(ModelArchitecture architecture, int expectedCount)
    {
        using var model = TinyModelFactory.Create(TinyModelFactory.Config(architecture), seed: 5);
        using var noGrad = no_grad();
        using var ids = torch.tensor(Sequence).unsqueeze(0);
        using var before = model.Forward(ids);
        var namesBefore = model.named_parameters().Select(p => p.name).ToList();

        var wrappers = new List<ScaledLinear>();
        var replaced = model.ReplaceLinears((_, linear) =>
        {
            wrappers.Add(new ScaledLinear(linear));
            return wrappers[^1];
        });
        using var same = model.Forward(ids);
        wrappers.ForEach(w => w.Scale = 0.5);
        using var changed = model.Forward(ids);

        Assert.Equal(expectedCount, replaced.Count);
        Assert.Contains(architecture == ModelArchitecture.Gpt2 ? "transformer.h.1.mlp.c_fc" : "model.layers.1.self_attn.q_proj", replaced);
        var expectedNames = namesBefore.Select(name =>
            replaced.FirstOrDefault(r => name.StartsWith(r + ".", StringComparison.Ordinal)) is { } module
                ? $"{module}.inner{name[module.Length..]}"
                : name);
        Assert.Equal(expectedNames, model.named_parameters().Select(p => p.name));
        Assert.True(same.allclose(before, rtol: 0, atol: 1e-6));
        Assert.False(changed.allclose(before, rtol: 0, atol: 1e-3));
    }

    /// <summary>Stands in for a LoRA wrapper: the wrapped Linear scaled by a constant.</summary>
    private sealed class ScaledLinear : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> inner;

        public ScaledLinear(nn.Module<Tensor, Tensor> inner) : base(nameof(ScaledLinear))
        {
            this.inner = inner;
            RegisterComponents();
        }

        public double Scale { get; set; } = 1.0;

        public override Tensor forward(Tensor x)
        {
            using var y = inner.call(x);
            return y * Scale;
        }
    }
}
