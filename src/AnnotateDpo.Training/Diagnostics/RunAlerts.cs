using System.Globalization;
using AnnotateDpo.Training.Objectives;
using AnnotateDpo.Training.Pipeline;
using AnnotateDpo.Training.Trainers;

namespace AnnotateDpo.Training.Diagnostics;

/// <summary>Something in a run that calls for a different next run.</summary>
public enum RunAlertKind
{
    /// <summary>The DPO loss sits at ln 2 with no gradient: nothing learns (no trainable parameters, β ≈ 0, identical pairs).</summary>
    LossStuckAtLn2,

    /// <summary>Reward accuracy 1 and loss near 0 early on: the pairs are too easy or off-policy.</summary>
    PairsTooEasy,

    /// <summary>The chosen answers' log-probability falls while the margins grow.</summary>
    LikelihoodDisplacement,

    /// <summary>Reward margins above <see cref="RunAlertMonitor.LargeMargin"/>: the policy drifts far from the reference.</summary>
    LargeMargins,

    /// <summary>A metric is NaN or infinite: the run diverged.</summary>
    NotANumber,

    /// <summary>DPO's answers to the fixed eval prompts grow longer: the policy learns length rather than quality.</summary>
    ResponsesGrowing,

    /// <summary>Fewer than <see cref="SftReadinessGate.MinimumSftExamples"/> approved SFT examples.</summary>
    FewSftExamples,

    /// <summary>DPO runs without an SFT stage before it.</summary>
    SftSkipped,

    /// <summary>Under the reference, most eval pairs have p_l > p_w (per token): SFT has not brought the chosen answers close.</summary>
    RejectedPreferredAtReference,
}

/// <summary>
/// An alert: where it was raised, the figure behind it (<see cref="Value"/>, in the unit <see cref="Describe"/> names)
/// and the remedy as config changes for the next run (empty when the remedy is in the data, not the settings).
/// </summary>
public sealed record RunAlert(RunAlertKind Kind, string Stage, int Step, double Value, IReadOnlyList<ConfigChange> Remedy)
{
    /// <summary>The next run's config: <paramref name="config"/> with every change of the remedy made.</summary>
    public TrainingRunConfig ApplyRemedy(TrainingRunConfig config) => Remedy.Aggregate(config, (current, change) => change.Apply(current));

    /// <summary>One line for the CLI and the logs (the web app words it per language).</summary>
    public string Describe()
    {
        var figure = Value.ToString("0.####", CultureInfo.InvariantCulture);
        var what = Kind switch
        {
            RunAlertKind.LossStuckAtLn2 => $"loss stuck at ln 2 ({figure}) with grad_norm ≈ 0: nothing is learning",
            RunAlertKind.PairsTooEasy => $"rewards/accuracies = 1 and loss {figure} in the first 10% of steps: pairs too easy or off-policy",
            RunAlertKind.LikelihoodDisplacement => $"logps/chosen fell by {figure} nats while the margins grew: likelihood displacement",
            RunAlertKind.LargeMargins => $"rewards/margins reached {figure}: the policy drifts far from the reference",
            RunAlertKind.NotANumber => "a metric is NaN or infinite: the run diverged",
            RunAlertKind.ResponsesGrowing => $"answers to the eval prompts grew to {figure}× their length at the start of DPO: the policy learns length",
            RunAlertKind.FewSftExamples => $"only {figure} approved SFT examples (50 or more recommended)",
            RunAlertKind.SftSkipped => "DPO runs without SFT first",
            RunAlertKind.RejectedPreferredAtReference => $"{Value:P0} of eval pairs have p_l > p_w under the reference",
            _ => Kind.ToString(),
        };
        var remedy = Remedy.Count > 0 ? $"; next run: {string.Join(", ", Remedy)}" : "";
        return $"{Stage} step {Step}: {what}{remedy}";
    }
}

/// <summary>
/// Watches a run's records as they arrive (<see cref="Observe(MetricsRecord)"/> once per line of metrics.jsonl, in
/// order, and <see cref="Observe(SamplePass)"/> once per line of samples.jsonl) and raises each kind of alert at most
/// once per stage. The remedies are worked out from the run's config.
/// </summary>
public sealed class RunAlertMonitor(TrainingRunConfig config)
{
    /// <summary>|loss − ln 2| below this counts as "at ln 2".</summary>
    public const double Ln2Tolerance = 0.005;

    /// <summary>grad_norm below this counts as no gradient.</summary>
    public const double NoGradient = 1e-4;

    /// <summary>Consecutive training steps the loss must sit at ln 2 before it counts as stuck.</summary>
    public const int StuckSteps = 3;

    /// <summary>The share of the stage's steps counted as "early".</summary>
    public const double EarlyShare = 0.1;

    /// <summary>Loss below this, with accuracy 1, early on: too easy.</summary>
    public const double EasyLoss = 0.05;

    /// <summary>Fall in eval logps/chosen (nats, summed) that counts as falling.</summary>
    public const double ChosenFall = 0.5;

    /// <summary>Reward margins above this are large.</summary>
    public const double LargeMargin = 10;

    /// <summary>Mean answer length over the stage's first samples at or above which answers count as growing…</summary>
    public const double GrowthRatio = 1.5;

    /// <summary>…when they also grew by at least this many tokens, so a few tokens more on very short answers do not count.</summary>
    public const double GrowthTokens = 8;

    private static readonly string Dpo = RunLog.StageName(TrainingStage.Dpo);

    private readonly List<RunAlert> alerts = [];
    private readonly HashSet<(RunAlertKind, string)> raised = [];
    private int stuckSteps;
    private MetricsRecord? firstDpoEval;
    private SamplePass? firstDpoSamples;

    public IReadOnlyList<RunAlert> Alerts => alerts;

    /// <returns>The alerts this record raised (also added to <see cref="Alerts"/>).</returns>
    public IReadOnlyList<RunAlert> Observe(MetricsRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var before = alerts.Count;
        var prefix = record.IsEval ? TrainingMetrics.EvalPrefix : "";
        double? Metric(string name) => record.Get(prefix + name);

        if (record.Metrics.FirstOrDefault(m => !double.IsFinite(m.Value)) is { Key: not null } broken)
            Raise(RunAlertKind.NotANumber, record, broken.Value, [ConfigChange.Set(LearningRateSetting(record.Stage), LearningRate(record.Stage) / 10)]);
        if (record.Stage != Dpo)
            return alerts.Skip(before).ToList();

        if (!record.IsEval)
        {
            ObserveDpoStep(record);
        }
        else
        {
            firstDpoEval ??= record;
            ObserveDpoEval(record, firstDpoEval);
        }
        if (Metric(TrainingMetrics.RewardsMargins) is > LargeMargin and var margin)
            Raise(RunAlertKind.LargeMargins, record, margin,
                [ConfigChange.Set(ConfigChange.DpoMaxSteps, Math.Max(1, record.Step)), ConfigChange.Set(ConfigChange.DpoLearningRate, config.Dpo.LearningRate / 2)]);
        return alerts.Skip(before).ToList();
    }

    /// <summary>
    /// Observes a running pipeline's event as the line it logs: a step's or an eval pass's metrics, or a pass of
    /// sample answers; other events raise nothing.
    /// </summary>
    public IReadOnlyList<RunAlert> Observe(PipelineEvent pipelineEvent) => pipelineEvent switch
    {
        StageProgressEvent { Event: TrainingStepEvent step } e =>
            Observe(new MetricsRecord(RunLog.StageName(e.Stage), MetricsRecord.TrainType, step.Step, step.TotalSteps, step.Metrics)),
        StageProgressEvent { Event: EvaluationEvent eval } e =>
            Observe(new MetricsRecord(RunLog.StageName(e.Stage), MetricsRecord.EvalType, eval.Step, eval.TotalSteps, eval.Metrics)),
        StageSamplesEvent samples => Observe(new SamplePass(RunLog.StageName(samples.Stage), samples.Step, samples.TotalSteps, samples.Samples)),
        _ => [],
    };

    /// <returns>The alerts this pass of sample answers raised (also added to <see cref="Alerts"/>).</returns>
    public IReadOnlyList<RunAlert> Observe(SamplePass samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var before = alerts.Count;
        if (samples.Stage != Dpo || samples.Samples.Count == 0)
            return [];
        firstDpoSamples ??= samples;
        var (start, now) = (firstDpoSamples.MeanTokens, samples.MeanTokens);
        if (start > 0 && now / start >= GrowthRatio && now - start >= GrowthTokens)
        {
            // Length-normalised DPO compares per-token log-ratios, so a longer answer stops being an easy win.
            var remedy = config.Loss.Type == PreferenceLoss.NameOf(PreferenceLossType.SigmoidNorm)
                ? ConfigChange.Set(ConfigChange.DpoLearningRate, config.Dpo.LearningRate / 2)
                : new ConfigChange(ConfigChange.LossType, PreferenceLoss.NameOf(PreferenceLossType.SigmoidNorm));
            Raise(RunAlertKind.ResponsesGrowing, samples.Stage, samples.Step, now / start, [remedy]);
        }
        return alerts.Skip(before).ToList();
    }

    private void ObserveDpoStep(MetricsRecord record)
    {
        var loss = record.Get(TrainingMetrics.Loss);
        var atLn2 = loss is { } value && Math.Abs(value - Math.Log(2)) < Ln2Tolerance && record.Get(TrainingMetrics.GradNorm) is < NoGradient;
        stuckSteps = atLn2 ? stuckSteps + 1 : 0;
        if (stuckSteps >= StuckSteps)
            Raise(RunAlertKind.LossStuckAtLn2, record, loss!.Value, StuckRemedy());

        var early = record.Step <= Math.Max(1, Math.Ceiling(EarlyShare * record.TotalSteps));
        if (early && loss is < EasyLoss && record.Get(TrainingMetrics.RewardsAccuracies) >= 1)
        {
            List<ConfigChange> remedy = [ConfigChange.Set(ConfigChange.DpoLearningRate, config.Dpo.LearningRate / 2)];
            if (config.Dpo.MaxSteps is not null || config.Dpo.Epochs > 1)
                remedy.Add(ConfigChange.Set(ConfigChange.DpoEpochs, 1));
            Raise(RunAlertKind.PairsTooEasy, record, loss.Value, remedy);
        }
    }

    private void ObserveDpoEval(MetricsRecord record, MetricsRecord first)
    {
        var chosen = record.Get(TrainingMetrics.EvalPrefix + TrainingMetrics.LogpsChosen);
        var firstChosen = first.Get(TrainingMetrics.EvalPrefix + TrainingMetrics.LogpsChosen);
        var margin = record.Get(TrainingMetrics.EvalPrefix + TrainingMetrics.RewardsMargins);
        var firstMargin = first.Get(TrainingMetrics.EvalPrefix + TrainingMetrics.RewardsMargins);
        if (chosen - firstChosen is < -ChosenFall and var fall && margin > firstMargin)
            Raise(RunAlertKind.LikelihoodDisplacement, record, -fall, DisplacementRemedy());
    }

    private List<ConfigChange> StuckRemedy()
    {
        // β ≈ 0 flattens the loss; with a sensible β, no gradient means nothing trainable or chosen = rejected (data).
        return config.Loss.Beta < 0.01 ? [ConfigChange.Set(ConfigChange.Beta, 0.1)] : [];
    }

    private List<ConfigChange> DisplacementRemedy()
    {
        // RPO's NLL term (α = 1, Pang et al. 2024) or DPO-Positive's penalty (λ = 50, Pal et al. 2024) hold the chosen
        // answer up; more SFT brings it closer before DPO starts.
        List<ConfigChange> remedy = [config.Loss.RpoAlpha == 0
            ? ConfigChange.Set(ConfigChange.RpoAlpha, 1)
            : ConfigChange.Set(ConfigChange.DpopLambda, config.Loss.DpopLambda == 0 ? 50 : config.Loss.DpopLambda * 2)];
        remedy.Add(SftReadinessGate.MoreSft(config));
        return remedy;
    }

    private string LearningRateSetting(string stage) => stage == Dpo ? ConfigChange.DpoLearningRate : ConfigChange.SftLearningRate;

    private double LearningRate(string stage) => stage == Dpo ? config.Dpo.LearningRate : config.Sft.LearningRate;

    private void Raise(RunAlertKind kind, MetricsRecord record, double value, IReadOnlyList<ConfigChange> remedy) =>
        Raise(kind, record.Stage, record.Step, value, remedy);

    private void Raise(RunAlertKind kind, string stage, int step, double value, IReadOnlyList<ConfigChange> remedy)
    {
        if (raised.Add((kind, stage)))
            alerts.Add(new RunAlert(kind, stage, step, value, remedy));
    }
}

/// <summary>
/// Whether SFT has prepared the model for DPO: the reference should already give the chosen answers a fair
/// likelihood, because DPO mostly pushes rejected answers down and barely pulls chosen ones up (see <see cref="DpoField"/>).
/// </summary>
public static class SftReadinessGate
{
    public const int MinimumSftExamples = 50;

    /// <summary>The share of eval pairs with p_l > p_w under the reference above which the gate warns.</summary>
    public const double RejectedPreferredShare = 0.5;

    /// <param name="config">The run's config.</param>
    /// <param name="approvedSftExamples">Approved SFT examples in the snapshot (both splits); null when unknown.</param>
    /// <param name="reference">The eval pairs' summary, whose reference counts are read; null before DPO has scored them.</param>
    public static IReadOnlyList<RunAlert> Check(TrainingRunConfig config, int? approvedSftExamples, PairSummary? reference)
    {
        ArgumentNullException.ThrowIfNull(config);
        var dpo = RunLog.StageName(TrainingStage.Dpo);
        var alerts = new List<RunAlert>();
        if (!config.Runs(TrainingStage.Dpo))
            return alerts;
        if (!config.Runs(TrainingStage.Sft))
            alerts.Add(new RunAlert(RunAlertKind.SftSkipped, dpo, 0, 0, [new ConfigChange(ConfigChange.Stages, "sft,dpo")]));
        if (approvedSftExamples < MinimumSftExamples)
            alerts.Add(new RunAlert(RunAlertKind.FewSftExamples, dpo, 0, approvedSftExamples.Value, []));
        if (reference is { Count: > 0, RejectedPreferredAtReferenceCount: { } preferred }
            && (double)preferred / reference.Count > RejectedPreferredShare)
            alerts.Add(new RunAlert(RunAlertKind.RejectedPreferredAtReference, dpo, 0, (double)preferred / reference.Count, [MoreSft(config)]));
        return alerts;
    }

    /// <summary>One more pass of SFT: SFT added when skipped, else a third more steps or one more epoch.</summary>
    internal static ConfigChange MoreSft(TrainingRunConfig config) =>
        !config.Runs(TrainingStage.Sft) ? new ConfigChange(ConfigChange.Stages, "sft,dpo")
        : config.Sft.MaxSteps is { } steps ? ConfigChange.Set(ConfigChange.SftMaxSteps, Math.Ceiling(steps * 4 / 3.0))
        : ConfigChange.Set(ConfigChange.SftEpochs, config.Sft.Epochs + 1);
}
