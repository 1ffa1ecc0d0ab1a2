using AnnotateDpo.Training.Diagnostics;

namespace AnnotateDpo.Training.Tests.Diagnostics;

public class AblationVerdictTests
{
    private static AblationArmFigures Arm(double sftLossAtStart, double sftLossAtEnd, double accuracy, double margin = 0.5) => new(
        [new StepValue(0, 0), new StepValue(10, -1)],
        [new StepValue(0, 0), new StepValue(10, -4)],
        [new StepValue(0, 0), new StepValue(10, accuracy)],
        [new StepValue(0, 0), new StepValue(10, margin)],
        [new StepValue(0, sftLossAtStart), new StepValue(10, sftLossAtEnd)]);

    [Theory]
    [InlineData(4.40, 0.75, 4.20, 0.75, AblationVerdictKind.PaidOff)]
    [InlineData(4.40, 0.75, 4.20, 0.9, AblationVerdictKind.PaidOff)]
    [InlineData(4.40, 0.75, 4.20, 0.5, AblationVerdictKind.LowerLossOnly)]
    [InlineData(4.40, 0.5, 4.395, 0.75, AblationVerdictKind.HigherAccuracyOnly)]
    [InlineData(4.40, 0.75, 4.395, 0.75, AblationVerdictKind.DidNotPayOff)]
    [InlineData(4.20, 0.75, 4.40, 0.5, AblationVerdictKind.DidNotPayOff)]
    public void Judge_FinalFigures_NamesWhatSftFirstBought(double baseLoss, double baseAccuracy, double sftLoss, double sftAccuracy, AblationVerdictKind expected)
    {
        var verdict = AblationVerdict.Judge(Arm(4.5, baseLoss, baseAccuracy), Arm(4.3, sftLoss, sftAccuracy, margin: 0.4));

        Assert.Equal(expected, verdict.Kind);
        Assert.Equal(baseLoss - sftLoss, verdict.SftLossGain, 12);
        Assert.Equal(sftAccuracy - baseAccuracy, verdict.AccuracyGain, 12);
        Assert.Equal(-0.1, verdict.MarginGain, 12);
    }

    [Fact]
    public void Judge_ArmWithOnlyItsFirstEval_IsPending()
    {
        var started = new AblationArmFigures([new StepValue(0, 0)], [new StepValue(0, 0)], [new StepValue(0, 0)], [new StepValue(0, 0)], [new StepValue(0, 4.5)]);

        var verdict = AblationVerdict.Judge(started, Arm(4.3, 4.2, 0.8));

        Assert.Equal(AblationVerdictKind.Pending, verdict.Kind);
        Assert.Null(started.FinalSftLoss);
        Assert.Equal(4.5, started.InitialSftLoss);
    }
}
