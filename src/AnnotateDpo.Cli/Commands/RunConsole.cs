using System.Globalization;
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

    /// <summary>Prints each event as it happens (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    public sealed class ConsoleProgress : IProgress<PipelineEvent>
    {
        public void Report(PipelineEvent value)
        {
            var stage = RunLog.StageName(value.Stage);
            var line = value switch
            {
                StageStartedEvent started => $"{stage}: {started.TrainCount} train / {started.EvalCount} eval, {started.TotalSteps} steps",
                StageProgressEvent { Event: TrainingStepEvent step } => StepLine(stage, step),
                StageProgressEvent { Event: EvaluationEvent eval } => EvalLine(stage, eval),
                StageSavedEvent saved => $"{stage} saved to {saved.Folder}{(saved.AdapterFolder is null ? "" : $" (adapter: {saved.AdapterFolder})")}",
                StageFinishedEvent { Cancelled: true } => $"{stage} cancelled",
                StageCheckpointEvent checkpoint => $"{stage} checkpoint at step {checkpoint.Step}: {checkpoint.Folder}",
                RunWarningEvent warning => $"warning: {warning.Message}",
                _ => null,
            };
            if (line is not null)
                Console.WriteLine(line);
        }

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
