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

/// <summary>
/// log π(chosen | prompt) and log π(rejected | prompt) of eval pair <paramref name="PairIndex"/>, and the token ids
/// of both responses (the pair's own arrays, not copies) for the per-pair length and edit-distance diagnostics.
/// </summary>
public sealed record PairLogProbs(
    int PairIndex, double Chosen, double Rejected, IReadOnlyList<int> ChosenTokens, IReadOnlyList<int> RejectedTokens);

/// <summary>What a run did: every step and eval in order; <see cref="Cancelled"/> when it stopped early.</summary>
public sealed record TrainingResult(
    IReadOnlyList<TrainingStepEvent> Steps,
    IReadOnlyList<EvaluationEvent> Evaluations,
    int TotalSteps,
    bool Cancelled);
