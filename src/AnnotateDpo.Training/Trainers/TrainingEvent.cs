namespace AnnotateDpo.Training.Trainers;

/// <summary>Progress of a training run; <see cref="Step"/> counts optimizer steps done (0 before the first).</summary>
public abstract record TrainingEvent(int Step, int TotalSteps);

/// <summary>One optimizer step's metrics, named by <see cref="TrainingMetrics"/>.</summary>
public sealed record TrainingStepEvent(int Step, int TotalSteps, IReadOnlyDictionary<string, double> Metrics)
    : TrainingEvent(Step, TotalSteps);

/// <summary>
/// An eval pass: metrics with the <see cref="TrainingMetrics.EvalPrefix"/>, and for DPO each eval pair's summed
/// log-probabilities under the policy at this step (empty for SFT), for the chosen/rejected dynamics view.
/// </summary>
public sealed record EvaluationEvent(
    int Step,
    int TotalSteps,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<PairLogProbs> PairLogProbs) : TrainingEvent(Step, TotalSteps);

/// <summary>A checkpoint of the state after step <paramref name="Step"/> was written to <paramref name="Folder"/>.</summary>
public sealed record CheckpointSavedEvent(int Step, int TotalSteps, string Folder) : TrainingEvent(Step, TotalSteps);

/// <summary>log π(chosen | prompt) and log π(rejected | prompt) of eval pair <paramref name="PairIndex"/>.</summary>
public sealed record PairLogProbs(int PairIndex, double Chosen, double Rejected);

/// <summary>What a run did: every step and eval in order; <see cref="Cancelled"/> when it stopped early.</summary>
public sealed record TrainingResult(
    IReadOnlyList<TrainingStepEvent> Steps,
    IReadOnlyList<EvaluationEvent> Evaluations,
    int TotalSteps,
    bool Cancelled);
