using static TorchSharp.torch;

namespace AnnotateDpo.Training.Scoring;

/// <summary>
/// Log-probabilities of the labelled tokens of a batch, as SFT and DPO consume them. <see cref="Sum"/> and
/// <see cref="PerToken"/> carry gradients when computed with grad enabled; the logit statistics never do. The
/// object owns its tensors.
/// </summary>
public sealed class SequenceLogProbs : IDisposable
{
    internal SequenceLogProbs(Tensor perToken, Tensor labelMask, Tensor logitSum)
    {
        PerToken = perToken;
        LabelMask = labelMask;
        LogitSum = logitSum;
        Sum = perToken.sum(-1);
        TokenCount = labelMask.sum(-1, type: ScalarType.Int64);
        using var denominator = TokenCount.clamp_min(1);
        MeanLogits = logitSum / denominator;
    }

    /// <summary>(B, T) float32: log p(labels[t] | ids[&lt;t]) where <see cref="LabelMask"/> is set, else 0.</summary>
    public Tensor PerToken { get; }

    /// <summary>(B, T) bool: the positions scored (labels != −100, never position 0).</summary>
    public Tensor LabelMask { get; }

    /// <summary>(B) float32: summed log-probability of each sequence's labels, TRL's <c>logps</c>.</summary>
    public Tensor Sum { get; }

    /// <summary>(B) int64: how many labels each sequence has.</summary>
    public Tensor TokenCount { get; }

    /// <summary>
    /// (B) float32, detached: per sequence, the sum over label positions of the mean logit over the vocabulary.
    /// TRL's batch metric <c>logits/chosen</c> is <c>LogitSum.sum() / TokenCount.sum()</c>.
    /// </summary>
    public Tensor LogitSum { get; }

    /// <summary>(B) float32, detached: the mean logit over each sequence's label positions and the vocabulary.</summary>
    public Tensor MeanLogits { get; }

    /// <summary>(B) summed log-probability divided by the label count (0 for a sequence without labels).</summary>
    public Tensor Average()
    {
        using var denominator = TokenCount.clamp_min(1).to(Sum.dtype);
        return Sum / denominator;
    }

    public void Dispose()
    {
        PerToken.Dispose();
        LabelMask.Dispose();
        LogitSum.Dispose();
        Sum.Dispose();
        TokenCount.Dispose();
        MeanLogits.Dispose();
    }
}
