namespace AnnotateDpo.Core.Training;

/// <summary>Where a training run is in its life; stored by name.</summary>
public enum TrainingRunState
{
    /// <summary>Waiting for the trainer; the snapshot is already taken.</summary>
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,

    /// <summary>It was running when the app stopped; it can be resumed from its last checkpoint.</summary>
    Interrupted,
}

/// <summary>
/// One SFT → DPO run asked for in the app: an immutable snapshot, the settings it was asked with, and its state.
/// The run's files (config, metrics, checkpoints, models) live in <see cref="RunFolder"/>, whose name is the run id
/// the trainer knows it by. State changes go through the methods below, which refuse a change the run cannot make.
/// </summary>
public sealed class TrainingRun
{
    public long Id { get; set; }
    public long WorkspaceId { get; set; }
    public long SnapshotId { get; set; }

    /// <summary>The preset the run started from (demo, lora, full, …), for lists and charts.</summary>
    public required string Preset { get; set; }

    /// <summary>The settings as asked for (preset, base model, overrides), as JSON; the trainer's resolved config is the run folder's config.json.</summary>
    public required string SettingsJson { get; set; }

    public TrainingRunState State { get; private set; } = TrainingRunState.Queued;
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; private set; }
    public DateTime? FinishedAt { get; private set; }

    /// <summary>The user who asked for the run (or its last resume).</summary>
    public required string RequestedBy { get; set; }

    /// <summary>Why the run failed or was interrupted, in words the user can act on.</summary>
    public string? Error { get; private set; }

    /// <summary>The run's id for the trainer: the name of its folder under the runs folder.</summary>
    public string RunKey { get; set; } = "";

    /// <summary>The run folder (absolute).</summary>
    public string RunFolder { get; set; } = "";

    /// <summary>
    /// The ablation the run is an arm of ("does SFT first pay off?": DPO from the base model against SFT → DPO on the
    /// same snapshot and settings): the id of the ablation's first run, shared by both arms; null for a run on its own.
    /// </summary>
    public long? AblationId { get; set; }

    /// <summary>When the run next starts, it continues from its last checkpoint instead of starting afresh.</summary>
    public bool ResumeRequested { get; private set; }

    /// <summary>Someone asked a running run to stop; the trainer is told and the run ends cancelled.</summary>
    public bool CancelRequested { get; private set; }

    public bool IsFinished => State is TrainingRunState.Succeeded or TrainingRunState.Failed or TrainingRunState.Cancelled or TrainingRunState.Interrupted;

    /// <summary>A run that stopped before succeeding can continue from its last checkpoint.</summary>
    public bool CanResume => State is TrainingRunState.Failed or TrainingRunState.Cancelled or TrainingRunState.Interrupted;

    public bool CanCancel => State is TrainingRunState.Queued or TrainingRunState.Running && !CancelRequested;

    /// <summary>The trainer takes the run: queued → running.</summary>
    public void Start(DateTime now)
    {
        Require(State == TrainingRunState.Queued, "start");
        State = TrainingRunState.Running;
        StartedAt ??= now;
        FinishedAt = null;
        Error = null;
    }

    /// <summary>The trainer is done with the run: running → succeeded, failed or cancelled.</summary>
    public void Finish(TrainingRunState outcome, DateTime now, string? error = null)
    {
        if (outcome is not (TrainingRunState.Succeeded or TrainingRunState.Failed or TrainingRunState.Cancelled))
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "A run finishes succeeded, failed or cancelled.");
        Require(State == TrainingRunState.Running, $"finish as {outcome}");
        State = outcome;
        FinishedAt = now;
        Error = outcome == TrainingRunState.Failed ? error ?? "The trainer failed without a message." : null;
        ResumeRequested = false;
        CancelRequested = false;
    }

    /// <summary>Found running when the app started: its trainer died with the app.</summary>
    public void Interrupt(DateTime now, string reason)
    {
        Require(State == TrainingRunState.Running, "be marked interrupted");
        State = TrainingRunState.Interrupted;
        FinishedAt = now;
        Error = reason;
        ResumeRequested = false;
        CancelRequested = false;
    }

    /// <summary>
    /// Asks the run to stop. A queued run is cancelled at once (true); a running one is flagged, and the trainer stops
    /// at its next step boundary (false: the caller tells the trainer).
    /// </summary>
    public bool RequestCancel(DateTime now)
    {
        Require(State is TrainingRunState.Queued or TrainingRunState.Running, "be cancelled");
        if (State == TrainingRunState.Running)
        {
            CancelRequested = true;
            return false;
        }
        State = TrainingRunState.Cancelled;
        FinishedAt = now;
        return true;
    }

    /// <summary>Queues a stopped run again, to continue from its last checkpoint.</summary>
    public void QueueResume(string requestedBy)
    {
        Require(CanResume, "be resumed");
        State = TrainingRunState.Queued;
        ResumeRequested = true;
        RequestedBy = requestedBy;
        FinishedAt = null;
        Error = null;
    }

    private void Require(bool allowed, string change)
    {
        if (!allowed)
            throw new InvalidOperationException($"Training run {Id} is {State.ToString().ToLowerInvariant()} and cannot {change}.");
    }
}
