namespace AnnotateDpo.Training.Pretraining;

/// <summary>What a pretraining run is doing.</summary>
public enum PretrainStage
{
    TrainingTokenizer,
    Encoding,
    Training,
    Evaluating,
    Saving,
}

/// <summary>A progress report: the stage, and during training the step's loss, learning rate and throughput.</summary>
/// <param name="Loss">Training loss of <paramref name="Step"/> (mean next-token cross-entropy, nats); NaN outside training.</param>
/// <param name="TokensPerSecond">Training tokens per second since the first step.</param>
public sealed record PretrainProgress(
    PretrainStage Stage,
    int Step,
    int TotalSteps,
    double Loss,
    double LearningRate,
    double TokensPerSecond,
    TimeSpan Elapsed,
    string? Message = null);

/// <summary>The outcome of a run; <see cref="Losses"/> holds every step's training loss, in order.</summary>
public sealed record PretrainResult(
    string OutputDirectory,
    int VocabSize,
    long ParameterCount,
    long TrainTokens,
    long EvalTokens,
    IReadOnlyList<double> Losses,
    double? InitialEvalLoss,
    double? FinalEvalLoss,
    TimeSpan Elapsed)
{
    public double FinalLoss => Losses.Count == 0 ? double.NaN : Losses[^1];
}
