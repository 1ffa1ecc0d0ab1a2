using AnnotateDpo.Training.Pipeline;
using AnnotateDpo.Training.Trainers;

namespace AnnotateDpo.Training.Diagnostics;

/// <summary>A figure at one DPO eval step.</summary>
public sealed record StepValue(int Step, double Value);

/// <summary>
/// One arm of the "does SFT first pay off?" ablation over its DPO eval passes: the mean Δlog p_w and Δlog p_l of the eval
/// pairs since the stage's first pass (its reference), eval rewards/accuracies and rewards/margins, and eval_sft_loss
/// (NLL per token of the SFT eval examples under the policy). Every series is in step order and may be empty while the
/// run has not reached DPO.
/// </summary>
public sealed record AblationArmFigures(
    IReadOnlyList<StepValue> MeanDeltaChosen,
    IReadOnlyList<StepValue> MeanDeltaRejected,
    IReadOnlyList<StepValue> Accuracies,
    IReadOnlyList<StepValue> Margins,
    IReadOnlyList<StepValue> SftLoss)
{
    public static readonly string AccuracyMetric = TrainingMetrics.EvalPrefix + TrainingMetrics.RewardsAccuracies;
    public static readonly string MarginMetric = TrainingMetrics.EvalPrefix + TrainingMetrics.RewardsMargins;
    public static readonly string SftLossMetric = TrainingMetrics.EvalPrefix + TrainingMetrics.SftLoss;

    public double? FinalDeltaChosen => Last(MeanDeltaChosen);
    public double? FinalDeltaRejected => Last(MeanDeltaRejected);
    public double? FinalAccuracy => Last(Accuracies);
    public double? FinalMargin => Last(Margins);

    /// <summary>The SFT loss of the model DPO started from (the base model, or the SFT result).</summary>
    public double? InitialSftLoss => SftLoss.Count == 0 ? null : SftLoss[0].Value;

    /// <summary>The SFT loss of the final model: comparable between the arms, since both score the same examples.</summary>
    public double? FinalSftLoss => SftLoss.Count < 2 ? null : SftLoss[^1].Value;

    /// <param name="pairs">The DPO eval pairs' diagnostics; null before the stage's first eval pass.</param>
    /// <param name="metrics">The run's metrics.jsonl; only the dpo stage's eval lines are read.</param>
    public static AblationArmFigures Compute(PairDiagnosticsReport? pairs, IReadOnlyList<MetricsRecord> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var dpoEvals = metrics.Where(m => m.IsEval && m.Stage == RunLog.StageName(TrainingStage.Dpo)).OrderBy(m => m.Step).ToList();
        List<StepValue> Series(string metric) =>
            dpoEvals.Where(m => m.Get(metric) is not null).Select(m => new StepValue(m.Step, m.Get(metric)!.Value)).ToList();

        List<StepValue> chosen = [], rejected = [];
        if (pairs is { Pairs.Count: > 0 } report)
        {
            var steps = report.Pairs[0].Trajectory.Count;
            for (var i = 0; i < steps; i++)
            {
                var step = report.Pairs[0].Trajectory[i].Step;
                chosen.Add(new StepValue(step, report.Pairs.Average(p => p.Trajectory[i].Chosen - p.Trajectory[0].Chosen)));
                rejected.Add(new StepValue(step, report.Pairs.Average(p => p.Trajectory[i].Rejected - p.Trajectory[0].Rejected)));
            }
        }
        return new AblationArmFigures(chosen, rejected, Series(AccuracyMetric), Series(MarginMetric), Series(SftLossMetric));
    }

    /// <summary>The figures of the run in <paramref name="runFolder"/>, read as it goes (β from its config.json).</summary>
    public static AblationArmFigures Read(string runFolder)
    {
        var config = TrainingRunConfig.Load(Path.Combine(runFolder, TrainingRunConfig.FileName));
        var passes = RunLogReader.ReadEvalPairs(runFolder);
        var pairs = passes.Any(p => p.Stage == RunLog.StageName(TrainingStage.Dpo) && p.Step == 0)
            ? PairDiagnostics.Compute(passes, config.Loss.Beta)
            : null;
        return Compute(pairs, RunLogReader.ReadMetrics(runFolder));
    }

    private static double? Last(IReadOnlyList<StepValue> series) => series.Count == 0 ? null : series[^1].Value;
}

/// <summary>What the numbers say about SFT first; <see cref="AblationVerdict.Kind"/> picks the sentence.</summary>
public enum AblationVerdictKind
{
    /// <summary>An arm has no DPO eval after its first step yet.</summary>
    Pending,

    /// <summary>SFT → DPO writes the ideal answers better (lower eval SFT loss) and ranks pairs at least as well.</summary>
    PaidOff,

    /// <summary>SFT → DPO writes the ideal answers better but ranks fewer eval pairs right.</summary>
    LowerLossOnly,

    /// <summary>SFT → DPO ranks more eval pairs right but writes the ideal answers no better.</summary>
    HigherAccuracyOnly,

    /// <summary>SFT → DPO is better on neither.</summary>
    DidNotPayOff,
}

/// <summary>
/// The comparison of the two final models. Gains are SFT → DPO's advantage: <see cref="SftLossGain"/> is DPO-from-base's
/// eval SFT loss minus SFT → DPO's (positive: SFT first is better), <see cref="AccuracyGain"/> and
/// <see cref="MarginGain"/> SFT → DPO's value minus DPO-from-base's.
/// </summary>
public sealed record AblationVerdict(AblationVerdictKind Kind, double SftLossGain, double AccuracyGain, double MarginGain)
{
    /// <summary>A loss difference below this (nats per token) is noise at our eval sizes.</summary>
    public const double SftLossTolerance = 0.01;

    /// <summary>Accuracies are shares of eval pairs; a difference below this is less than one pair in a thousand.</summary>
    public const double AccuracyTolerance = 1e-3;

    public static AblationVerdict Judge(AblationArmFigures dpoFromBase, AblationArmFigures sftThenDpo)
    {
        ArgumentNullException.ThrowIfNull(dpoFromBase);
        ArgumentNullException.ThrowIfNull(sftThenDpo);
        if (dpoFromBase.FinalSftLoss is not { } baseLoss || sftThenDpo.FinalSftLoss is not { } sftLoss
            || dpoFromBase.FinalAccuracy is not { } baseAccuracy || sftThenDpo.FinalAccuracy is not { } sftAccuracy)
            return new AblationVerdict(AblationVerdictKind.Pending, 0, 0, 0);
        var lossGain = baseLoss - sftLoss;
        var accuracyGain = sftAccuracy - baseAccuracy;
        var marginGain = (sftThenDpo.FinalMargin ?? 0) - (dpoFromBase.FinalMargin ?? 0);
        var lowerLoss = lossGain > SftLossTolerance;
        var kind = (lowerLoss, accuracyGain) switch
        {
            (true, >= -AccuracyTolerance) => AblationVerdictKind.PaidOff,
            (true, _) => AblationVerdictKind.LowerLossOnly,
            (false, > AccuracyTolerance) => AblationVerdictKind.HigherAccuracyOnly,
            _ => AblationVerdictKind.DidNotPayOff,
        };
        return new AblationVerdict(kind, lossGain, accuracyGain, marginGain);
    }
}
