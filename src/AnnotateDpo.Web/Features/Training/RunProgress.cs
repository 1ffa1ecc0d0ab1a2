namespace AnnotateDpo.Web.Features.Training;

/// <summary>Where a run is: its stage, step, share of all its steps done, the stage's remaining time and speed.</summary>
/// <param name="Fraction">0 to 1 over all the run's stages, each stage counting as an equal part.</param>
/// <param name="StageRemaining">The current stage's remaining time at its pace so far; null before its first step.</param>
public sealed record RunProgress(string? Stage, int Step, int TotalSteps, double Fraction, TimeSpan? StageRemaining, double? TokensPerSecond)
{
    public static RunProgress Of(IReadOnlyList<string> stages, IReadOnlyList<MetricPoint> metrics, RunFileStatus? status)
    {
        var last = metrics.LastOrDefault(p => !p.IsEval);
        if (last is null)
            return new RunProgress(metrics.LastOrDefault()?.Stage ?? stages.FirstOrDefault(), 0, 0, 0, null, null);
        var stageIndex = Math.Max(0, stages.ToList().IndexOf(last.Stage));
        var stageShare = last.TotalSteps > 0 ? Math.Clamp((double)last.Step / last.TotalSteps, 0, 1) : 0;
        var completed = status?.State == "completed";
        var fraction = completed ? 1 : stages.Count == 0 ? 0 : (stageIndex + stageShare) / stages.Count;
        TimeSpan? remaining = last.Step > 0 && last.TotalSteps >= last.Step
            ? TimeSpan.FromSeconds(last.ElapsedSeconds / last.Step * (last.TotalSteps - last.Step))
            : null;
        return new RunProgress(last.Stage, last.Step, last.TotalSteps, fraction, remaining, last.Get("tokens_per_second"));
    }
}
