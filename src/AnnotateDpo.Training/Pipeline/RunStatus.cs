using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnnotateDpo.Training.Pipeline;

/// <summary>How a run ended (or that it still runs), as written to run.json.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunState>))]
public enum RunState
{
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
    [JsonStringEnumMemberName("failed")] Failed,

    /// <summary>
    /// Never written: what <see cref="RunStatus.Observe"/> reports for a run.json that says running while its process
    /// is gone (killed, crashed, out of memory). Such a run can be resumed.
    /// </summary>
    [JsonStringEnumMemberName("interrupted")] Interrupted,
}

/// <summary>One stage's summary in run.json.</summary>
public sealed record StageSummary
{
    [JsonPropertyName("state")] public RunState State { get; init; } = RunState.Running;
    [JsonPropertyName("train_samples")] public int TrainCount { get; init; }
    [JsonPropertyName("eval_samples")] public int EvalCount { get; init; }
    [JsonPropertyName("steps")] public int Steps { get; init; }
    [JsonPropertyName("total_steps")] public int TotalSteps { get; init; }

    /// <summary>Training time, from the first step to the last (evals included).</summary>
    [JsonPropertyName("train_seconds")] public double TrainSeconds { get; init; }

    [JsonPropertyName("save_seconds")] public double SaveSeconds { get; init; }

    /// <summary>The eval before the first step (eval_ names).</summary>
    [JsonPropertyName("initial_eval")] public IReadOnlyDictionary<string, double>? InitialEval { get; init; }

    /// <summary>The eval after the last step.</summary>
    [JsonPropertyName("final_eval")] public IReadOnlyDictionary<string, double>? FinalEval { get; init; }

    /// <summary>The last training step's metrics.</summary>
    [JsonPropertyName("final_train")] public IReadOnlyDictionary<string, double>? FinalTrain { get; init; }

    /// <summary>The saved Hugging Face folder, relative to the run folder.</summary>
    [JsonPropertyName("model")] public string? ModelFolder { get; init; }

    /// <summary>The saved PEFT adapter folder, relative to the run folder; LoRA runs only.</summary>
    [JsonPropertyName("adapter")] public string? AdapterFolder { get; init; }
}

/// <summary>run.json: the state of a run, rewritten atomically at each stage boundary and at the end.</summary>
public sealed record RunStatus
{
    public const string FileName = "run.json";

    [JsonPropertyName("run_id")] public required string RunId { get; init; }
    [JsonPropertyName("status")] public RunState State { get; init; } = RunState.Running;
    [JsonPropertyName("workspace")] public string? Workspace { get; init; }
    [JsonPropertyName("snapshot_id")] public long? SnapshotId { get; init; }
    [JsonPropertyName("snapshot_hash")] public string? SnapshotHash { get; init; }
    [JsonPropertyName("device")] public string? Device { get; init; }
    [JsonPropertyName("started_at")] public DateTimeOffset StartedAt { get; init; }
    [JsonPropertyName("finished_at")] public DateTimeOffset? FinishedAt { get; init; }
    [JsonPropertyName("total_seconds")] public double? TotalSeconds { get; init; }
    [JsonPropertyName("stages")] public Dictionary<string, StageSummary> Stages { get; init; } = [];
    [JsonPropertyName("error")] public string? Error { get; init; }

    /// <summary>The process that trains (or last trained) the run; with <see cref="Observe"/> it tells a dead run from a live one.</summary>
    [JsonPropertyName("pid")] public int? ProcessId { get; init; }

    /// <summary>How many times the run was resumed.</summary>
    [JsonPropertyName("resumes")] public int Resumes { get; init; }

    /// <summary>The latest checkpoint of the running stage, relative to the run folder; null once the stage's model is saved.</summary>
    [JsonPropertyName("last_checkpoint")] public string? LastCheckpoint { get; set; }

    /// <summary>Things the run went on despite (no eval split, truncated samples), each saying what to do.</summary>
    [JsonPropertyName("warnings")] public List<string> Warnings { get; init; } = [];

    public static RunStatus Load(string runFolder) =>
        JsonSerializer.Deserialize<RunStatus>(File.ReadAllText(Path.Combine(runFolder, FileName)), TrainingRunConfig.JsonOptions)
        ?? throw new InvalidDataException($"{Path.Combine(runFolder, FileName)} holds no run status.");

    /// <summary>run.json, with a "running" run whose process no longer exists reported as <see cref="RunState.Interrupted"/>.</summary>
    public static RunStatus Observe(string runFolder)
    {
        var status = Load(runFolder);
        return status.State == RunState.Running && !IsAlive(status.ProcessId) ? status with { State = RunState.Interrupted } : status;
    }

    private static bool IsAlive(int? processId)
    {
        if (processId is not { } id)
            return false;
        try
        {
            using var process = Process.GetProcessById(id);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Writes run.json through a temporary file, so a reader never sees half of it.</summary>
    public void Save(string runFolder)
    {
        var path = Path.Combine(runFolder, FileName);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, TrainingRunConfig.JsonOptions));
        File.Move(temporary, path, overwrite: true);
    }
}
