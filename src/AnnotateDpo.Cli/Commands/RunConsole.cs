using System.Globalization;
using AnnotateDpo.Training.Diagnostics;
using AnnotateDpo.Training.Pipeline;
using AnnotateDpo.Training.Trainers;

namespace AnnotateDpo.Cli.Commands;

/// <summary>What <c>train</c> and <c>runs resume</c> print, and the exit code a run ends with.</summary>
internal static class RunConsole
{
    /// <summary>
    /// Runs the pipeline call <paramref name="run"/> and maps its outcome to the exit code of the child-process
    /// protocol: 0 completed, 130 cancelled, 3 failed after the run folder was written (run.json holds the error).
    /// Errors before that propagate, so bad input still exits 2.
    /// </summary>
    public static async Task<int> RunAsync(string runFolder, Func<Task<PipelineResult>> run)
    {
        PipelineResult result;
        try
        {
            result = await run();
        }
        catch (Exception error) when (error is not OperationCanceledException && FailedHere(runFolder))
        {
            await Console.Error.WriteLineAsync($"error: {error.Message}");
            await Console.Error.WriteLineAsync($"run failed: {Path.Combine(runFolder, RunStatus.FileName)} and {RunFiles.ReportFileName} hold the details.");
            return ExitCodes.RunFailed;
        }
        PrintSummary(result);
        return result.State == RunState.Cancelled ? ExitCodes.Cancelled : ExitCodes.Success;
    }

    /// <summary>Whether this process recorded a failure in the run folder (not an earlier run's run.json).</summary>
    private static bool FailedHere(string runFolder)
    {
        if (!File.Exists(Path.Combine(runFolder, RunStatus.FileName)))
            return false;
        var status = RunStatus.Load(runFolder);
        return status.State == RunState.Failed && status.ProcessId == Environment.ProcessId;
    }

    private static void PrintSummary(PipelineResult result)
    {
        var status = result.Status;
        foreach (var (name, stage) in status.Stages)
        {
            var line = $"{name}: {stage.State.ToString().ToLowerInvariant()}, {stage.Steps}/{stage.TotalSteps} steps in {Number(stage.TrainSeconds, "F1")} s";
            if (stage.InitialEval?.GetValueOrDefault(TrainingMetrics.EvalPrefix + TrainingMetrics.Loss) is { } before
                && stage.FinalEval?.GetValueOrDefault(TrainingMetrics.EvalPrefix + TrainingMetrics.Loss) is { } after)
                line += $", eval_loss {Number(before, "F4")} → {Number(after, "F4")}";
            if (stage.FinalEval is { } eval && eval.TryGetValue(TrainingMetrics.EvalPrefix + TrainingMetrics.RewardsAccuracies, out var accuracy))
                line += $", eval_rewards/accuracies {Number(accuracy, "F3")}, eval_rewards/margins {Number(eval[TrainingMetrics.EvalPrefix + TrainingMetrics.RewardsMargins], "F4")}";
            Console.WriteLine(line);
        }
        Console.WriteLine($"{status.State.ToString().ToLowerInvariant()} in {Number(status.TotalSeconds ?? 0, "F1")} s: {result.RunFolder}");
    }

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>
    /// Prints each event as it happens (Progress&lt;T&gt; would post to the thread pool and reorder lines), the answers
    /// to the fixed eval prompts, and each run alert as it is raised, with its remedy as the options of the next run;
    /// before DPO's first step, the SFT readiness gate.
    /// </summary>
    public sealed class ConsoleProgress(TrainingRunConfig config) : IProgress<PipelineEvent>
    {
        private const int SampleWidth = 100;

        private readonly RunAlertMonitor alerts = new(config);
        private int? approvedSftExamples;

        public void Report(PipelineEvent value)
        {
            var stage = RunLog.StageName(value.Stage);
            if (value is StageStartedEvent { Stage: TrainingStage.Sft } sft)
                approvedSftExamples = sft.TrainCount + sft.EvalCount;
            var line = value switch
            {
                StageStartedEvent started => $"{stage}: {started.TrainCount} train / {started.EvalCount} eval, {started.TotalSteps} steps",
                StageProgressEvent { Event: TrainingStepEvent step } => StepLine(stage, step),
                StageProgressEvent { Event: EvaluationEvent eval } => EvalLine(stage, eval),
                StageSavedEvent saved => $"{stage} saved to {saved.Folder}{(saved.AdapterFolder is null ? "" : $" (adapter: {saved.AdapterFolder})")}",
                StageFinishedEvent { Cancelled: true } => $"{stage} cancelled",
                StageCheckpointEvent checkpoint => $"{stage} checkpoint at step {checkpoint.Step}: {checkpoint.Folder}",
                RunWarningEvent warning => $"warning: {warning.Message}",
                StageSamplesEvent samples => SampleLines(stage, samples),
                _ => null,
            };
            if (line is not null)
                Console.WriteLine(line);
            foreach (var alert in alerts.Observe(value).Concat(Readiness(value)))
                Console.WriteLine($"alert: {alert.Describe()}{NextRun(alert)}");
        }

        /// <summary>The readiness gate on the reference's log-probabilities of the eval pairs, which DPO's first eval holds.</summary>
        private IReadOnlyList<RunAlert> Readiness(PipelineEvent value)
        {
            if (value is not StageProgressEvent { Stage: TrainingStage.Dpo, Event: EvaluationEvent { Step: 0 } reference })
                return [];
            var pass = new EvalPass(RunLog.StageName(TrainingStage.Dpo), 0, reference.TotalSteps, reference.PairLogProbs
                .Select(p => new EvalPairRecord(p.PairIndex, p.Chosen, p.Rejected, p.ChosenTokens.Count, p.RejectedTokens.Count))
                .ToList());
            var summary = pass.Pairs.Count == 0 ? null : PairDiagnostics.Compute([pass], config.Loss.Beta).Summary;
            return SftReadinessGate.Check(config, approvedSftExamples, summary);
        }

        private string NextRun(RunAlert alert) => alert.Remedy.Count == 0
            ? ""
            : $" (annotatedpo train --config {Path.Combine(config.OutputDirectory, TrainingRunConfig.FileName)}{string.Concat(alert.Remedy.Select(c => $" --set {c.Setting}={c.Value}"))})";

        private static string SampleLines(string stage, StageSamplesEvent samples) => string.Join(Environment.NewLine, samples.Samples.Select(sample =>
        {
            var text = sample.Completion.ReplaceLineEndings(" ");
            var shown = text.Length > SampleWidth ? text[..SampleWidth] + "…" : text;
            return $"{stage} sample step {samples.Step} #{sample.PromptIndex} ({sample.Tokens} tokens{(sample.Finished ? "" : ", cut at the limit")}): {shown}";
        }));

        private static string StepLine(string stage, TrainingStepEvent step)
        {
            var m = step.Metrics;
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{stage} step {step.Step}/{step.TotalSteps} loss {m[TrainingMetrics.Loss]:F4} lr {m[TrainingMetrics.LearningRate]:0.0e+0} tok/s {m[TrainingMetrics.TokensPerSecond]:F0}");
            if (m.TryGetValue(TrainingMetrics.RewardsMargins, out var margin))
                line += string.Create(CultureInfo.InvariantCulture, $" margin {margin:F4} acc {m[TrainingMetrics.RewardsAccuracies]:F2}");
            return line;
        }

        private static string EvalLine(string stage, EvaluationEvent eval)
        {
            var names = new[] { TrainingMetrics.Loss, TrainingMetrics.RewardsAccuracies, TrainingMetrics.RewardsMargins, TrainingMetrics.Perplexity, TrainingMetrics.SftLoss };
            var parts = names.Select(n => TrainingMetrics.EvalPrefix + n)
                .Where(eval.Metrics.ContainsKey)
                .Select(n => string.Create(CultureInfo.InvariantCulture, $"{n} {eval.Metrics[n]:F4}"));
            return $"{stage} eval step {eval.Step}/{eval.TotalSteps} {string.Join(" ", parts)}";
        }
    }
}
