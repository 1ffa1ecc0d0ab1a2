using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AnnotateDpo.Training.Objectives;

/// <summary>The preference losses, named as TRL's <c>loss_type</c>.</summary>
public enum PreferenceLossType
{
    Sigmoid,
    Ipo,
    Hinge,
    Robust,
    SigmoidNorm,
    ApoZero,
    Simpo,
}

/// <summary>Settings of <see cref="PreferenceLoss.Compute"/>; the defaults are TRL's.</summary>
public sealed record PreferenceLossOptions
{
    public PreferenceLossType Type { get; init; } = PreferenceLossType.Sigmoid;

    /// <summary>β: the strength of the implicit KL constraint (SimPO: the reward scale). Default: 0.1.</summary>
    public double Beta { get; init; } = 0.1;

    /// <summary>ε: the assumed share of flipped labels, for sigmoid (cDPO), robust and simpo. Default: 0.</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>γ: SimPO's target reward margin. Default: 0.5 (TRL's simpo_gamma).</summary>
    public double SimpoGamma { get; init; } = 0.5;

    /// <summary>α: weight of the NLL term on the chosen response (RPO); 0 turns it off. Default: 0.</summary>
    public double RpoAlpha { get; init; }

    /// <summary>λ: weight of the DPO-Positive penalty; 0 turns it off. Default: 0.</summary>
    public double DpopLambda { get; init; }

    /// <summary>Whether the loss needs reference log-probabilities (SimPO does not).</summary>
    public bool NeedsReference => Type != PreferenceLossType.Simpo;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(Beta > 0))
            throw new ArgumentException($"Beta must be positive; it is {Beta}.");
        if (LabelSmoothing is < 0 or >= 0.5)
            throw new ArgumentException($"LabelSmoothing must be in [0, 0.5); it is {LabelSmoothing}.");
        if (RpoAlpha < 0 || DpopLambda < 0)
            throw new ArgumentException($"RpoAlpha ({RpoAlpha}) and DpopLambda ({DpopLambda}) must not be negative.");
        if (DpopLambda > 0 && !NeedsReference)
            throw new ArgumentException("DpopLambda needs reference log-probabilities; simpo is reference-free.");
    }
}

/// <summary>
/// Log-probabilities of B preference pairs, each summed over its completion tokens, and the token counts for the
/// length-normalised variants. The reference tensors may be null only for a reference-free loss.
/// </summary>
/// <param name="PolicyChosen">(B), differentiable.</param>
/// <param name="PolicyRejected">(B), differentiable.</param>
/// <param name="ReferenceChosen">(B), no grad.</param>
/// <param name="ReferenceRejected">(B), no grad.</param>
/// <param name="ChosenTokens">(B) completion tokens of each chosen response.</param>
/// <param name="RejectedTokens">(B) completion tokens of each rejected response.</param>
public sealed record PreferenceLogProbs(
    Tensor PolicyChosen,
    Tensor PolicyRejected,
    Tensor? ReferenceChosen,
    Tensor? ReferenceRejected,
    Tensor ChosenTokens,
    Tensor RejectedTokens);

/// <summary>The batch loss and, per pair, the implicit rewards; owns its tensors.</summary>
/// <param name="Loss">() the mean over pairs, differentiable.</param>
/// <param name="ChosenRewards">(B) detached.</param>
/// <param name="RejectedRewards">(B) detached.</param>
public sealed record PreferenceLossResult(Tensor Loss, Tensor ChosenRewards, Tensor RejectedRewards) : IDisposable
{
    public void Dispose()
    {
        Loss.Dispose();
        ChosenRewards.Dispose();
        RejectedRewards.Dispose();
    }
}

/// <summary>All preference losses in one place, after TRL's <c>DPOTrainer.dpo_loss</c> and <c>CPOTrainer</c> (SimPO).</summary>
public static class PreferenceLoss
{
    private static readonly (string Name, PreferenceLossType Type)[] NamedTypes =
    [
        ("sigmoid", PreferenceLossType.Sigmoid),
        ("ipo", PreferenceLossType.Ipo),
        ("hinge", PreferenceLossType.Hinge),
        ("robust", PreferenceLossType.Robust),
        ("sigmoid_norm", PreferenceLossType.SigmoidNorm),
        ("apo_zero", PreferenceLossType.ApoZero),
        ("simpo", PreferenceLossType.Simpo),
    ];

    /// <summary>The loss names as TRL spells them.</summary>
    public static IReadOnlyList<string> Names { get; } = NamedTypes.Select(n => n.Name).ToArray();

    public static string NameOf(PreferenceLossType type) => NamedTypes.First(n => n.Type == type).Name;

    /// <summary>Parses a TRL loss name (case-insensitive); an unknown name is an error listing the valid ones.</summary>
    public static PreferenceLossType Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var (known, type) in NamedTypes)
        {
            if (string.Equals(known, name.Trim(), StringComparison.OrdinalIgnoreCase))
                return type;
        }
        throw new ArgumentException(
            $"Unknown preference loss '{name}'; valid names are: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>
    /// The loss of the chosen variant, averaged over the pairs, plus the RPO and DPOP terms when their weights are set.
    /// Rewards are β·(π − π_ref) on summed log-probabilities (SimPO: β·mean log π per token, as CPOTrainer reports).
    /// </summary>
    public static PreferenceLossResult Compute(PreferenceLogProbs logps, PreferenceLossOptions options)
    {
        ArgumentNullException.ThrowIfNull(logps);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.NeedsReference && (logps.ReferenceChosen is null || logps.ReferenceRejected is null))
            throw new ArgumentException(
                $"The '{NameOf(options.Type)}' loss needs reference log-probabilities.", nameof(logps));

        using var scope = NewDisposeScope();
        var (beta, eps) = (options.Beta, options.LabelSmoothing);
        var chosenLength = logps.ChosenTokens.to(logps.PolicyChosen.dtype).clamp_min(1); // (B)
        var rejectedLength = logps.RejectedTokens.to(logps.PolicyChosen.dtype).clamp_min(1);

        // Log-ratios log π/π_ref, summed (B); SimPO has no reference, so its terms are built in its case below.
        var chosenRatio = options.NeedsReference ? logps.PolicyChosen - logps.ReferenceChosen! : null;
        var rejectedRatio = options.NeedsReference ? logps.PolicyRejected - logps.ReferenceRejected! : null;
        var normalised = options.Type is PreferenceLossType.Ipo or PreferenceLossType.SigmoidNorm;
        if (normalised)
        {
            // IPO and sigmoid_norm compare average per-token log-ratios, as TRL does.
            chosenRatio = chosenRatio! / chosenLength;
            rejectedRatio = rejectedRatio! / rejectedLength;
        }
        if (options.DpopLambda > 0)
        {
            // DPO-Positive (Pal et al. 2024): penalise the chosen response's likelihood falling below the
            // reference's, inside the loss: log-ratio − λ·max(0, log π_ref − log π).
            chosenRatio = chosenRatio! - options.DpopLambda * (-chosenRatio!).clamp_min(0);
        }
        var h = options.NeedsReference ? chosenRatio! - rejectedRatio! : null; // (B) the margin of log-ratios

        var losses = options.Type switch // (B)
        {
            // DPO (Rafailov et al. 2023), with conservative label smoothing ε (cDPO).
            PreferenceLossType.Sigmoid or PreferenceLossType.SigmoidNorm =>
                -F.logsigmoid(beta * h!) * (1 - eps) - F.logsigmoid(-beta * h!) * eps,
            // IPO (Azar et al. 2023): regress the margin of average log-ratios onto 1/(2β).
            PreferenceLossType.Ipo => (h! - 1 / (2 * beta)).square(),
            // SLiC hinge (Zhao et al. 2023).
            PreferenceLossType.Hinge => F.relu(1 - beta * h!),
            // Robust DPO (Chowdhury et al. 2024): unbiased under a label-flip rate ε.
            PreferenceLossType.Robust =>
                (-F.logsigmoid(beta * h!) * (1 - eps) + F.logsigmoid(-beta * h!) * eps) / (1 - 2 * eps),
            // APO-zero (D'Oosterlinck et al. 2024): push the chosen reward up and the rejected one down, each alone.
            PreferenceLossType.ApoZero => 1 - F.sigmoid(beta * chosenRatio!) + F.sigmoid(beta * rejectedRatio!),
            // SimPO (Meng et al. 2024): reference-free margin of average log-probs, minus the target margin γ.
            PreferenceLossType.Simpo => SimpoLosses(logps, chosenLength, rejectedLength, options),
            _ => throw new ArgumentOutOfRangeException(
                nameof(options), options.Type, $"Unknown preference loss; valid names are: {string.Join(", ", Names)}."),
        };

        var loss = losses.mean(); // ()
        if (options.RpoAlpha > 0)
        {
            // RPO (Pang et al. 2024): α × the mean NLL per chosen token over the batch.
            var nll = -logps.PolicyChosen.sum() / chosenLength.sum();
            loss = loss + options.RpoAlpha * nll;
        }

        Tensor chosenRewards, rejectedRewards;
        using (no_grad())
        {
            chosenRewards = options.NeedsReference
                ? beta * (logps.PolicyChosen - logps.ReferenceChosen!)
                : beta * logps.PolicyChosen / chosenLength;
            rejectedRewards = options.NeedsReference
                ? beta * (logps.PolicyRejected - logps.ReferenceRejected!)
                : beta * logps.PolicyRejected / rejectedLength;
        }
        return new PreferenceLossResult(
            loss.MoveToOuterDisposeScope(),
            chosenRewards.detach().MoveToOuterDisposeScope(),
            rejectedRewards.detach().MoveToOuterDisposeScope());
    }

    /// <returns>(B) −log σ(β·(mean log π_w − mean log π_l) − γ), label-smoothed as in CPOTrainer.</returns>
    private static Tensor SimpoLosses(PreferenceLogProbs logps, Tensor chosenLength, Tensor rejectedLength, PreferenceLossOptions options)
    {
        var margin = logps.PolicyChosen / chosenLength - logps.PolicyRejected / rejectedLength; // (B)
        var logits = options.Beta * margin - options.SimpoGamma; // (B)
        return -F.logsigmoid(logits) * (1 - options.LabelSmoothing) - F.logsigmoid(-logits) * options.LabelSmoothing;
    }
}
