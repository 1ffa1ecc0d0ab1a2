using AnnotateDpo.Training.Objectives;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Tests.Objectives;

/// <summary>Known answers computed in closed form from TRL's formulas, on one or two pairs.</summary>
public sealed class PreferenceLossTests
{
    private const double Tolerance = 1e-5;

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double LogSigmoid(double x) => -Math.Log(1 + Math.Exp(-x));

    /// <summary>Policy and reference log-probs of one pair; float64 so closed forms match to 1e-12.</summary>
    private static PreferenceLogProbs Pair(double pw, double pl, double rw, double rl, long nw = 1, long nl = 1, bool grad = false) => new(
        tensor(new[] { pw }, ScalarType.Float64).requires_grad_(grad),
        tensor(new[] { pl }, ScalarType.Float64).requires_grad_(grad),
        tensor(new[] { rw }, ScalarType.Float64),
        tensor(new[] { rl }, ScalarType.Float64),
        tensor(new[] { nw }),
        tensor(new[] { nl }));

    private static double LossOf(PreferenceLogProbs logps, PreferenceLossOptions options)
    {
        using var result = PreferenceLoss.Compute(logps, options);
        return result.Loss.item<double>();
    }

    [Fact]
    public void Compute_SigmoidWithZeroMargin_IsLn2()
    {
        var logps = Pair(-5, -7, -5, -7);

        var loss = LossOf(logps, new PreferenceLossOptions());

        Assert.Equal(Math.Log(2), loss, 12);
    }

    [Fact]
    public void Compute_Sigmoid_MatchesClosedFormAndGradients()
    {
        var logps = Pair(-4, -9, -5, -7, grad: true);
        const double beta = 0.5;
        var z = beta * ((-4 - -5) - (-9 - -7)); // β·h = 1.5

        using var result = PreferenceLoss.Compute(logps, new PreferenceLossOptions { Beta = beta });
        result.Loss.backward();

        Assert.Equal(-LogSigmoid(z), result.Loss.item<double>(), 12);
        // ∂L/∂logπ_w = −β σ(−z), ∂L/∂logπ_l = +β σ(−z).
        Assert.Equal(-beta * Sigmoid(-z), logps.PolicyChosen.grad!.item<double>(), 12);
        Assert.Equal(beta * Sigmoid(-z), logps.PolicyRejected.grad!.item<double>(), 12);
        Assert.Equal(beta * 1, result.ChosenRewards.item<double>(), 12);
        Assert.Equal(beta * -2, result.RejectedRewards.item<double>(), 12);
        Assert.False(result.ChosenRewards.requires_grad);
    }

    [Theory]
    [InlineData(0.3, 0.05)]
    [InlineData(0.01, 0.4)]
    [InlineData(0.2, 0.2)]
    public void Compute_SigmoidAsFunctionOfProbabilities_GradientRatioIsInverseProbabilityRatio(double pw, double pl)
    {
        // The identity behind "DPO suppresses well and teaches badly": |∂L/∂p_w| / |∂L/∂p_l| = p_l / p_w.
        using var chosenProbability = tensor(new[] { pw }, ScalarType.Float64).requires_grad_(true);
        using var rejectedProbability = tensor(new[] { pl }, ScalarType.Float64).requires_grad_(true);
        var logps = new PreferenceLogProbs(chosenProbability.log(), rejectedProbability.log(),
            tensor(new[] { -2.0 }, ScalarType.Float64), tensor(new[] { -3.0 }, ScalarType.Float64), tensor(new[] { 1L }), tensor(new[] { 1L }));

        using var result = PreferenceLoss.Compute(logps, new PreferenceLossOptions { Beta = 0.5 });
        result.Loss.backward();

        var chosenGradient = chosenProbability.grad!.item<double>();
        var rejectedGradient = rejectedProbability.grad!.item<double>();
        Assert.True(chosenGradient < 0 && rejectedGradient > 0, $"∂L/∂p_w = {chosenGradient}, ∂L/∂p_l = {rejectedGradient}");
        Assert.Equal(pl / pw, Math.Abs(chosenGradient) / Math.Abs(rejectedGradient), 12);
    }

    [Fact]
    public void Compute_SigmoidWithLabelSmoothing_MixesBothDirections()
    {
        var logps = Pair(-4, -9, -5, -7);
        const double beta = 0.5, eps = 0.1;
        var z = beta * 3;

        var loss = LossOf(logps, new PreferenceLossOptions { Beta = beta, LabelSmoothing = eps });

        Assert.Equal(-LogSigmoid(z) * (1 - eps) - LogSigmoid(-z) * eps, loss, 12);
    }

    [Fact]
    public void Compute_Ipo_UsesAverageLogRatios()
    {
        // Chosen: 4 tokens, log-ratio +2 → +0.5 per token; rejected: 2 tokens, log-ratio −1 → −0.5 per token.
        var logps = Pair(-10, -8, -12, -7, nw: 4, nl: 2);
        const double beta = 0.25;
        var h = 0.5 - -0.5;

        var loss = LossOf(logps, new PreferenceLossOptions { Type = PreferenceLossType.Ipo, Beta = beta });

        Assert.Equal(Math.Pow(h - 1 / (2 * beta), 2), loss, 12);
    }

    [Theory]
    [InlineData(0.1, 0.7)] // 1 − β·h = 1 − 0.3 > 0
    [InlineData(0.5, 0.0)] // 1 − β·h = 1 − 1.5 < 0: no loss
    public void Compute_Hinge_IsMaxOfZeroAndOneMinusBetaH(double beta, double expected)
    {
        var logps = Pair(-4, -9, -5, -7); // h = 3

        var loss = LossOf(logps, new PreferenceLossOptions { Type = PreferenceLossType.Hinge, Beta = beta });

        Assert.Equal(expected, loss, 12);
    }

    [Fact]
    public void Compute_Robust_MatchesChowdhuryFormula()
    {
        var logps = Pair(-4, -9, -5, -7);
        const double beta = 0.2, eps = 0.2;
        var z = beta * 3;

        var loss = LossOf(logps, new PreferenceLossOptions { Type = PreferenceLossType.Robust, Beta = beta, LabelSmoothing = eps });

        Assert.Equal((-LogSigmoid(z) * (1 - eps) + LogSigmoid(-z) * eps) / (1 - 2 * eps), loss, 12);
    }

    [Fact]
    public void Compute_SigmoidNorm_DividesLogRatiosByLength()
    {
        var logps = Pair(-10, -8, -12, -7, nw: 4, nl: 2); // average log-ratios +0.5 and −0.5
        const double beta = 2;

        var loss = LossOf(logps, new PreferenceLossOptions { Type = PreferenceLossType.SigmoidNorm, Beta = beta });

        Assert.Equal(-LogSigmoid(beta * 1.0), loss, 12);
    }

    [Fact]
    public void Compute_ApoZero_SumsChosenAndRejectedTerms()
    {
        var logps = Pair(-4, -9, -5, -7); // log-ratios +1 and −2
        const double beta = 0.5;

        var loss = LossOf(logps, new PreferenceLossOptions { Type = PreferenceLossType.ApoZero, Beta = beta });

        Assert.Equal(1 - Sigmoid(beta * 1) + Sigmoid(beta * -2), loss, 12);
    }

    [Fact]
    public void Compute_Simpo_IgnoresReferenceAndSubtractsGamma()
    {
        var logps = new PreferenceLogProbs(
            tensor(new[] { -6.0 }, ScalarType.Float64), tensor(new[] { -12.0 }, ScalarType.Float64), null, null,
            tensor(new[] { 3L }), tensor(new[] { 4L }));
        const double beta = 2, gamma = 0.5;
        var logits = beta * (-2.0 - -3.0) - gamma;

        using var result = PreferenceLoss.Compute(logps, new PreferenceLossOptions { Type = PreferenceLossType.Simpo, Beta = beta, SimpoGamma = gamma });

        Assert.Equal(-LogSigmoid(logits), result.Loss.item<double>(), 12);
        Assert.Equal(beta * -2.0, result.ChosenRewards.item<double>(), 12);
        Assert.Equal(beta * -3.0, result.RejectedRewards.item<double>(), 12);
    }

    [Fact]
    public void Compute_Dpop_SubtractsPenaltyInsideSigmoidOnlyWhenChosenFallsBelowReference()
    {
        const double beta = 0.5, lambda = 5;
        var below = Pair(-6, -9, -5, -7); // chosen log-ratio −1 → penalty λ·1; h = −1 + 2 = 1
        var above = Pair(-4, -9, -5, -7); // chosen log-ratio +1 → no penalty

        var penalised = LossOf(below, new PreferenceLossOptions { Beta = beta, DpopLambda = lambda });
        var unpenalised = LossOf(above, new PreferenceLossOptions { Beta = beta, DpopLambda = lambda });

        Assert.Equal(-LogSigmoid(beta * (1 - lambda * 1)), penalised, 12);
        Assert.Equal(-LogSigmoid(beta * 3), unpenalised, 12);
    }

    [Fact]
    public void Compute_Rpo_AddsAlphaTimesMeanNllPerChosenToken()
    {
        var logps = new PreferenceLogProbs(
            tensor(new[] { -6.0, -2.0 }, ScalarType.Float64), tensor(new[] { -6.0, -2.0 }, ScalarType.Float64),
            tensor(new[] { -6.0, -2.0 }, ScalarType.Float64), tensor(new[] { -6.0, -2.0 }, ScalarType.Float64),
            tensor(new[] { 3L, 1L }), tensor(new[] { 3L, 1L }));
        const double alpha = 0.7;

        var loss = LossOf(logps, new PreferenceLossOptions { RpoAlpha = alpha });

        Assert.Equal(Math.Log(2) + alpha * (8.0 / 4), loss, 12);
    }

    [Fact]
    public void Compute_TwoPairs_AveragesOverPairs()
    {
        var logps = new PreferenceLogProbs(
            tensor(new[] { -4.0, -5.0 }, ScalarType.Float64), tensor(new[] { -9.0, -5.0 }, ScalarType.Float64),
            tensor(new[] { -5.0, -5.0 }, ScalarType.Float64), tensor(new[] { -7.0, -5.0 }, ScalarType.Float64),
            tensor(new[] { 1L, 1L }), tensor(new[] { 1L, 1L }));

        var loss = LossOf(logps, new PreferenceLossOptions { Beta = 0.5 });

        Assert.Equal((-LogSigmoid(1.5) + Math.Log(2)) / 2, loss, 12);
    }

    [Fact]
    public void Compute_ReferenceMissingForDpo_Throws()
    {
        var logps = new PreferenceLogProbs(
            tensor(new[] { -1.0 }), tensor(new[] { -2.0 }), null, null, tensor(new[] { 1L }), tensor(new[] { 1L }));

        var error = Assert.Throws<ArgumentException>(() => PreferenceLoss.Compute(logps, new PreferenceLossOptions()));

        Assert.Contains("reference", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sigmoid", PreferenceLossType.Sigmoid)]
    [InlineData("IPO", PreferenceLossType.Ipo)]
    [InlineData("sigmoid_norm", PreferenceLossType.SigmoidNorm)]
    [InlineData("apo_zero", PreferenceLossType.ApoZero)]
    [InlineData("simpo", PreferenceLossType.Simpo)]
    public void Parse_KnownName_ReturnsType(string name, PreferenceLossType expected)
    {
        var type = PreferenceLoss.Parse(name);

        Assert.Equal(expected, type);
        Assert.Equal(name.ToLowerInvariant(), PreferenceLoss.NameOf(type));
    }

    [Fact]
    public void Parse_UnknownName_ListsValidNames()
    {
        var error = Assert.Throws<ArgumentException>(() => PreferenceLoss.Parse("kto"));

        Assert.Contains("'kto'", error.Message, StringComparison.Ordinal);
        foreach (var name in PreferenceLoss.Names)
            Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }
}
