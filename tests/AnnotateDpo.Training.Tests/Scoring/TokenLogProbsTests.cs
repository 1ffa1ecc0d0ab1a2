using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Tests.Scoring;

public class TokenLogProbsTests
{
    [Theory]
    [InlineData(ModelArchitecture.Llama)]
    [InlineData(ModelArchitecture.Qwen2)]
    [InlineData(ModelArchitecture.Mistral)]
    [InlineData(ModelArchitecture.Gpt2)]
    public void Compute_ChunkedVersusOneChunkVersusFullLogits_AgreeWithin1e5(ModelArchitecture architecture)
    {
        using var model = TinyModels.Create(architecture);
        using var batch = PaddedBatch.Create(
            [TinyModels.RandomIds(9, 1), TinyModels.RandomIds(6, 2), TinyModels.RandomIds(4, 3)], padId: 0);
        using var noGrad = no_grad();

        using var chunked = TokenLogProbs.Compute(model, batch, chunkSize: 3);
        using var whole = TokenLogProbs.Compute(model, batch, chunkSize: 10_000);
        using var reference = FullLogitsLogProbs(model, batch);

        Assert.True(MaxAbsDiff(chunked.PerToken, whole.PerToken) < 1e-5, $"chunked vs whole {MaxAbsDiff(chunked.PerToken, whole.PerToken)}");
        Assert.True(MaxAbsDiff(chunked.PerToken, reference) < 1e-5, $"chunked vs full logits {MaxAbsDiff(chunked.PerToken, reference)}");
        // Sums of several float32 terms: compare relative to their size.
        Assert.True(MaxRelativeDiff(chunked.Sum, whole.Sum) < 1e-6, $"sums {MaxRelativeDiff(chunked.Sum, whole.Sum)}");
        Assert.True(MaxRelativeDiff(chunked.MeanLogits, whole.MeanLogits) < 1e-6);
        Assert.Equal(new long[] { 8, 5, 3 }, chunked.TokenCount.data<long>().ToArray());
        Assert.True(chunked.Sum.data<float>().ToArray().All(sum => sum < 0));
    }

    [Theory]
    [InlineData(ModelArchitecture.Llama, PaddingSide.Right)]
    [InlineData(ModelArchitecture.Llama, PaddingSide.Left)]
    [InlineData(ModelArchitecture.Gpt2, PaddingSide.Right)]
    [InlineData(ModelArchitecture.Gpt2, PaddingSide.Left)]
    public void Compute_SequenceInPaddedBatch_EqualsSequenceAlone(ModelArchitecture architecture, PaddingSide side)
    {
        using var model = TinyModels.Create(architecture);
        var shortIds = TinyModels.RandomIds(5, 11);
        var longIds = TinyModels.RandomIds(12, 12);
        using var alone = PaddedBatch.Create([shortIds], padId: 0);
        using var padded = PaddedBatch.Create([longIds, shortIds], padId: 0, side);
        using var noGrad = no_grad();

        using var aloneScores = TokenLogProbs.Compute(model, alone, chunkSize: 4);
        using var paddedScores = TokenLogProbs.Compute(model, padded, chunkSize: 4);

        using var aloneRow = aloneScores.PerToken[0]; // (5)
        using var paddedRow = paddedScores.PerToken[1];
        using var realPart = side == PaddingSide.Right ? paddedRow[..5] : paddedRow[^5..];
        Assert.True(MaxAbsDiff(aloneRow, realPart) < 1e-5, $"max diff {MaxAbsDiff(aloneRow, realPart)}");
        Assert.True(MaxRelativeDiff(aloneScores.Sum[0], paddedScores.Sum[1]) < 1e-6);
        Assert.Equal(4, paddedScores.TokenCount[1].item<long>());
    }

    [Fact]
    public void Compute_PromptMaskedWithIgnoreIndex_ScoresOnlyTheResponse()
    {
        using var model = TinyModels.Create();
        var ids = TinyModels.RandomIds(8, 5);
        var labels = ids.Select((id, i) => i < 5 ? TokenLogProbs.IgnoreIndex : id).ToArray();
        using var full = PaddedBatch.Create([ids], padId: 0);
        using var responseOnly = PaddedBatch.Create([ids], padId: 0, labels: [labels]);
        using var noGrad = no_grad();

        using var fullScores = TokenLogProbs.Compute(model, full);
        using var responseScores = TokenLogProbs.Compute(model, responseOnly);

        Assert.Equal(3, responseScores.TokenCount[0].item<long>());
        using var expected = fullScores.PerToken[0, 5..].sum();
        Assert.True(MaxRelativeDiff(expected, responseScores.Sum[0]) < 1e-6);
        Assert.Equal(new[] { false, false, false, false, false, true, true, true },
            responseScores.LabelMask[0].data<bool>().ToArray());
    }

    [Fact]
    public void Compute_WithGrad_GradientReachesEveryParameter()
    {
        using var model = TinyModels.Create();
        model.train();
        using var batch = PaddedBatch.Create([TinyModels.RandomIds(7, 3), TinyModels.RandomIds(4, 4)], padId: 0);

        using var scores = TokenLogProbs.Compute(model, batch, chunkSize: 2);
        using var loss = -scores.Sum.sum();
        loss.backward();

        Assert.True(scores.Sum.requires_grad);
        Assert.False(scores.MeanLogits.requires_grad);
        foreach (var (name, parameter) in model.named_parameters())
        {
            using var grad = parameter.grad;
            Assert.True(grad is not null, $"{name} has no gradient");
            Assert.True(grad!.abs().sum().item<float>() > 0, $"{name} has a zero gradient");
        }
    }

    [Theory]
    [InlineData(ModelArchitecture.Mistral)] // its own lm_head
    [InlineData(ModelArchitecture.Qwen2)] // tied head: the head's gradient and the embedding's meet in one parameter
    public void Compute_RecomputedHeadVersusAutogradThroughChunks_SameValuesAndGradients(ModelArchitecture architecture)
    {
        using var model = TinyModels.Create(architecture);
        model.train();
        using var batch = PaddedBatch.Create([TinyModels.RandomIds(9, 6), TinyModels.RandomIds(5, 7)], padId: 0);

        var (recomputedSum, recomputedGrads) = SumAndGradients(model, batch, recomputeHead: true);
        var (plainSum, plainGrads) = SumAndGradients(model, batch, recomputeHead: false);

        Assert.Equal(plainSum, recomputedSum, 4);
        foreach (var (name, plain) in plainGrads)
        {
            using var recomputed = recomputedGrads[name];
            using (plain)
                Assert.True(MaxRelativeDiff(recomputed, plain) < 1e-5, $"{name}: {MaxRelativeDiff(recomputed, plain)}");
        }
    }

    [Fact]
    public void Compute_ForwardAndBackward_HeadNeverSeesMoreThanOneChunkOfLabelledPositions()
    {
        using var model = TinyModels.Create();
        model.train();
        var spy = new HeadSpy(model);
        var labels = TinyModels.RandomIds(12, 8).Select((id, i) => i < 4 ? TokenLogProbs.IgnoreIndex : id).ToArray();
        using var batch = PaddedBatch.Create([TinyModels.RandomIds(12, 8), TinyModels.RandomIds(3, 9)], padId: 0,
            labels: [labels, TinyModels.RandomIds(3, 9)]);

        using var scores = TokenLogProbs.Compute(spy, batch, chunkSize: 3);
        var forwardRows = spy.Rows.ToList();
        using var total = scores.Sum.sum();
        total.backward();

        Assert.Equal(8 + 2, forwardRows.Sum()); // labelled positions only: 12 − 4 and 3 − 1
        Assert.All(spy.Rows, rows => Assert.True(rows <= 3, $"head saw {rows} rows"));
        Assert.Equal(2 * forwardRows.Sum(), spy.Rows.Sum()); // backward recomputed every chunk once
    }

    [Fact]
    public void ScoreIds_Sequence_FirstIsNullAndRestMatchFullLogits()
    {
        using var model = TinyModels.Create();
        var ids = TinyModels.RandomIds(6, 9);

        var scores = TokenLogProbs.ScoreIds(model, ids.Select(id => (int)id).ToArray(), chunkSize: 2);

        Assert.Equal(6, scores.Length);
        Assert.Null(scores[0]);
        using var batch = PaddedBatch.Create([ids], padId: 0);
        using var noGrad = no_grad();
        using var reference = FullLogitsLogProbs(model, batch);
        var expected = reference[0].data<float>().ToArray();
        for (var i = 1; i < ids.Length; i++)
            Assert.Equal(expected[i], scores[i]!.Value, 5);
    }

    [Fact]
    public void ScoreIds_Empty_ReturnsEmpty()
    {
        using var model = TinyModels.Create();

        Assert.Empty(TokenLogProbs.ScoreIds(model, []));
    }

    /// <summary>Passes through to a model and records how many rows each LM-head call gets.</summary>
    private sealed class HeadSpy(CausalLM inner) : ICausalLM
    {
        public List<long> Rows { get; } = [];

        public HfModelConfig Config => inner.Config;

        public Tensor ForwardHidden(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null) =>
            inner.ForwardHidden(inputIds, attentionMask, cache);

        public Tensor ApplyLmHead(Tensor hidden)
        {
            Rows.Add(hidden.shape[0]);
            return inner.ApplyLmHead(hidden);
        }

        public Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null) =>
            inner.Forward(inputIds, attentionMask, cache);

        public KvCache CreateCache() => inner.CreateCache();
    }

    private static (float Sum, Dictionary<string, Tensor> Gradients) SumAndGradients(
        CausalLM model, PaddedBatch batch, bool recomputeHead)
    {
        model.zero_grad();
        using var scores = TokenLogProbs.Compute(model, batch, chunkSize: 3, recomputeHead: recomputeHead);
        using var total = scores.Sum.sum();
        total.backward();
        var gradients = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        return (total.item<float>(), gradients);
    }

    /// <summary>The textbook computation: full (B, T, V) logits, log-softmax, gather; 0 where no label.</summary>
    private static Tensor FullLogitsLogProbs(CausalLM model, PaddedBatch batch)
    {
        using var logits = model.Forward(batch.InputIds, batch.AttentionMask); // (B, T, V)
        using var logProbs = logits[.., ..^1].log_softmax(-1);
        using var targets = batch.Labels[.., 1..];
        using var safeTargets = targets.clamp_min(0).unsqueeze(-1);
        using var picked = logProbs.gather(-1, safeTargets).squeeze(-1); // (B, T−1)
        using var isLabel = targets.ne(TokenLogProbs.IgnoreIndex);
        using var masked = picked.where(isLabel, 0f);
        using var first = zeros(masked.shape[0], 1);
        return cat([first, masked], 1);
    }

    private static float MaxRelativeDiff(Tensor a, Tensor b)
    {
        using var scale = a.abs().clamp_min(1);
        using var diff = ((a - b).abs() / scale).max();
        return diff.item<float>();
    }

    private static float MaxAbsDiff(Tensor a, Tensor b)
    {
        using var diff = (a - b).abs().max();
        return diff.item<float>();
    }
}
