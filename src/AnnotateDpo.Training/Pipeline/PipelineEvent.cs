using AnnotateDpo.Training.Trainers;

namespace AnnotateDpo.Training.Pipeline;

/// <summary>Progress of a <see cref="TrainingPipeline"/> run, reported on the training thread.</summary>
public abstract record PipelineEvent(TrainingStage Stage);

/// <summary>A stage begins: its sample counts and optimizer steps.</summary>
public sealed record StageStartedEvent(TrainingStage Stage, int TrainCount, int EvalCount, int TotalSteps) : PipelineEvent(Stage);

/// <summary>A training step or an eval pass of <paramref name="Stage"/>, as the trainer reported it.</summary>
public sealed record StageProgressEvent(TrainingStage Stage, TrainingEvent Event) : PipelineEvent(Stage);

/// <summary>A stage's model was saved to <paramref name="Folder"/> (and its LoRA adapter to <paramref name="AdapterFolder"/>).</summary>
public sealed record StageSavedEvent(TrainingStage Stage, string Folder, string? AdapterFolder) : PipelineEvent(Stage);

/// <summary>A stage ended; <paramref name="Cancelled"/> when it stopped early.</summary>
public sealed record StageFinishedEvent(TrainingStage Stage, TimeSpan Elapsed, bool Cancelled) : PipelineEvent(Stage);

/// <summary>The run goes on, but something needs the user's attention; <paramref name="Message"/> says what to do.</summary>
public sealed record RunWarningEvent(TrainingStage Stage, string Message) : PipelineEvent(Stage);

/// <summary>A checkpoint of <paramref name="Stage"/> after <paramref name="Step"/> steps was written to <paramref name="Folder"/>.</summary>
public sealed record StageCheckpointEvent(TrainingStage Stage, int Step, string Folder) : PipelineEvent(Stage);

/// <summary>The answers to the run's fixed eval prompts after <paramref name="Step"/> steps of <paramref name="Stage"/>.</summary>
public sealed record StageSamplesEvent(TrainingStage Stage, int Step, int TotalSteps, IReadOnlyList<EvalSample> Samples) : PipelineEvent(Stage);
