namespace AnnotateDpo.Training.Pretraining;

/// <summary>Linear warmup to the peak, then cosine decay to peak × minRatio at the last step (nanoGPT's get_lr).</summary>
public static class LearningRateSchedule
{
    /// <param name="step">0-based step.</param>
    public static double At(int step, int totalSteps, int warmupSteps, double peak, double minRatio)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalSteps);
        if (step < warmupSteps)
        {
            return peak * (step + 1) / warmupSteps;
        }
        var decaySteps = Math.Max(1, totalSteps - 1 - warmupSteps);
        var progress = Math.Clamp((double)(step - warmupSteps) / decaySteps, 0.0, 1.0);
        var min = peak * minRatio;
        return min + 0.5 * (1.0 + Math.Cos(Math.PI * progress)) * (peak - min);
    }
}
