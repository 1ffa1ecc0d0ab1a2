using AnnotateDpo.Training.Diagnostics;
using AnnotateDpo.Training.Objectives;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Tests.Diagnostics;

/// <summary>The field against autograd through the trainer's own sigmoid DPO loss.</summary>
public sealed class DpoFieldTests
{
    public static TheoryData<double, double, double, double, double> Points => new()
    {
        // β, r_w, r_l, p_w, p_l
        { 0.1, 0.3, 0.4, 0.2, 0.6 },
        { 0.1, 0.3, 0.4, 0.9, 0.05 },
        { 0.5, 0.5, 0.5, 0.5, 0.5 },
        { 1.0, 0.02, 0.7, 0.6, 0.01 },
        { 2.0, 0.8, 0.1, 0.01, 0.99 },
    };

    /// <summary>−∇L of PreferenceLoss.Compute (sigmoid) with respect to the leaves <paramref name="chosen"/> and <paramref name="rejected"/>.</summary>
    private static (double Dx, double Dy) AutogradDescent(double beta, double rw, double rl, Tensor chosen, Tensor rejected, bool logCoordinates)
    {
        using var policyChosen = logCoordinates ? chosen.alias() : chosen.log();
        using var policyRejected = logCoordinates ? rejected.alias() : rejected.log();
        var logps = new PreferenceLogProbs(
            policyChosen.unsqueeze(0),
            policyRejected.unsqueeze(0),
            tensor(new[] { Math.Log(rw) }, ScalarType.Float64),
            tensor(new[] { Math.Log(rl) }, ScalarType.Float64),
            tensor(new[] { 1L }),
            tensor(new[] { 1L }));
        using var result = PreferenceLoss.Compute(logps, new PreferenceLossOptions { Beta = beta });
        result.Loss.backward();
        return (-chosen.grad!.item<double>(), -rejected.grad!.item<double>());
    }

    [Theory]
    [MemberData(nameof(Points))]
    public void AtProbabilities_EqualsAutogradOfTheSigmoidLoss(double beta, double rw, double rl, double pw, double pl)
    {
        var field = new DpoField(beta, rw, rl);
        using var chosen = tensor(pw, ScalarType.Float64).requires_grad_(true);
        using var rejected = tensor(pl, ScalarType.Float64).requires_grad_(true);

        var vector = field.AtProbabilities(pw, pl);
        var (dx, dy) = AutogradDescent(beta, rw, rl, chosen, rejected, logCoordinates: false);

        Assert.Equal(dx, vector.Dx, 10);
        Assert.Equal(dy, vector.Dy, 10);
        Assert.Equal((pw, pl), (vector.X, vector.Y));
    }

    [Theory]
    [MemberData(nameof(Points))]
    public void AtLogProbabilities_EqualsAutogradOfTheSigmoidLoss(double beta, double rw, double rl, double pw, double pl)
    {
        var field = new DpoField(beta, rw, rl);
        using var chosen = tensor(Math.Log(pw), ScalarType.Float64).requires_grad_(true);
        using var rejected = tensor(Math.Log(pl), ScalarType.Float64).requires_grad_(true);

        var vector = field.AtLogProbabilities(Math.Log(pw), Math.Log(pl));
        var (dx, dy) = AutogradDescent(beta, rw, rl, chosen, rejected, logCoordinates: true);

        Assert.Equal(dx, vector.Dx, 10);
        Assert.Equal(dy, vector.Dy, 10);
    }

    [Theory]
    [MemberData(nameof(Points))]
    public void AtProbabilities_MagnitudesStandAsRejectedToChosen(double beta, double rw, double rl, double pw, double pl)
    {
        var vector = new DpoField(beta, rw, rl).AtProbabilities(pw, pl);

        Assert.Equal(pl / pw, Math.Abs(vector.Dx / vector.Dy), 10);
        Assert.True(vector.Dx > 0 && vector.Dy < 0);
    }

    [Fact]
    public void Loss_AtTheReference_IsLn2WithHalfWeight()
    {
        var field = new DpoField(0.1, 0.3, 0.4);

        Assert.Equal(Math.Log(2), field.Loss(Math.Log(0.3), Math.Log(0.4)), 12);
        Assert.Equal(0.5, field.Weight(Math.Log(0.3), Math.Log(0.4)), 12);
    }

    [Fact]
    public void Sample_ProbabilityGrid_PlacesCellCentresRowByRow()
    {
        var field = new DpoField(0.1, 0.5, 0.5);

        var grid = field.Sample(FieldCoordinates.Probability, 0, 1, 4);

        Assert.Equal(16, grid.Count);
        Assert.Equal((0.125, 0.125), (grid[0].X, grid[0].Y));
        Assert.Equal((0.375, 0.125), (grid[1].X, grid[1].Y));
        Assert.Equal((0.875, 0.875), (grid[^1].X, grid[^1].Y));
        Assert.Equal(field.AtProbabilities(0.375, 0.125), grid[1]);
    }

    [Fact]
    public void Sample_LogGrid_PointsAlongOneMinusOne()
    {
        var grid = new DpoField(0.1, 0.5, 0.5).Sample(FieldCoordinates.LogProbability, -6, 0, 3);

        Assert.All(grid, v => Assert.Equal(v.Dx, -v.Dy, 12));
        Assert.Equal((-5.0, -5.0), (grid[0].X, grid[0].Y));
    }

    [Theory]
    [InlineData(0, 0.5, 0.5)]
    [InlineData(0.1, 0, 0.5)]
    [InlineData(0.1, 0.5, 1)]
    public void Constructor_InvalidSetting_Throws(double beta, double rw, double rl) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new DpoField(beta, rw, rl));
}
