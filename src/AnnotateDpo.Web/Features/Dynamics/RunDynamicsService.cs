using AnnotateDpo.Training.Diagnostics;
using AnnotateDpo.Training.Pipeline;
using AnnotateDpo.Web.Features.Training;
using Microsoft.Extensions.Options;

namespace AnnotateDpo.Web.Features.Dynamics;

/// <summary>Why a run has no pair diagnostics.</summary>
public enum PairsUnavailable
{
    NoDpoStage,
    NoDpoEvalYet,
}

/// <summary>
/// What the dynamics page shows of one run: its settings, the per-pair diagnostics of the DPO eval split (null with
/// <see cref="PairsUnavailable"/> saying why), the alerts from its metrics and sample answers, the SFT readiness gate,
/// the answers to the fixed eval prompts at each eval pass, and the train split's diagnostics once
/// <c>annotatedpo runs diagnose</c> has written them (null before).
/// </summary>
public sealed record RunDynamics(
    string RunId,
    TrainingRunConfig Config,
    RunStatus? Status,
    PairDiagnosticsReport? Pairs,
    PairsUnavailable? PairsUnavailable,
    IReadOnlyList<RunAlert> Alerts,
    IReadOnlyList<RunAlert> Readiness,
    IReadOnlyList<SamplePass> Samples,
    PairDiagnosticsReport? TrainPairs)
{
    public double Beta => Config.Loss.Beta;
}

/// <summary>
/// Reads run folders where the training service writes them (<see cref="TrainingOptions.ResolvedRunsFolder"/>); a running
/// run can be read as it goes.
/// </summary>
public sealed class RunDynamicsService(IOptions<TrainingOptions> options)
{
    /// <summary>
    /// Loads run <paramref name="runId"/>. A run id that is not a plain folder name, or a run folder without config.json,
    /// is a <see cref="DirectoryNotFoundException"/>; a malformed log an <see cref="InvalidDataException"/> naming the line.
    /// </summary>
    public RunDynamics Load(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        var runsFolder = options.Value.ResolvedRunsFolder;
        // The id comes from the address: only a plain folder name may reach the file system.
        if (runId.Length == 0 || runId is "." or ".." || runId.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new DirectoryNotFoundException($"'{runId}' is not a run id.");
        var folder = Path.Combine(runsFolder, runId);
        var configPath = Path.Combine(folder, TrainingRunConfig.FileName);
        if (!File.Exists(configPath))
            throw new DirectoryNotFoundException($"There is no run '{runId}' in {runsFolder}.");

        var config = TrainingRunConfig.Load(configPath);
        var status = File.Exists(Path.Combine(folder, RunStatus.FileName)) ? RunStatus.Load(folder) : null;

        var monitor = new RunAlertMonitor(config);
        foreach (var record in RunLogReader.ReadMetrics(folder))
            monitor.Observe(record);
        var samples = RunLogReader.ReadSamples(folder);
        foreach (var pass in samples)
            monitor.Observe(pass);

        PairDiagnosticsReport? pairs = null;
        PairsUnavailable? unavailable = null;
        var passes = RunLogReader.ReadEvalPairs(folder);
        if (!config.Runs(TrainingStage.Dpo))
            unavailable = PairsUnavailable.NoDpoStage;
        else if (!passes.Any(p => p.Stage == RunLog.StageName(TrainingStage.Dpo)))
            unavailable = PairsUnavailable.NoDpoEvalYet;
        else
            pairs = PairDiagnostics.Compute(passes, config.Loss.Beta);

        var sft = status?.Stages.GetValueOrDefault(RunLog.StageName(TrainingStage.Sft));
        int? approvedSft = sft is null ? null : sft.TrainCount + sft.EvalCount;
        var readiness = SftReadinessGate.Check(config, approvedSft, pairs?.Summary);
        var trainPasses = RunLogReader.ReadTrainPairs(folder);
        var trainPairs = trainPasses.Count == 0 ? null : PairDiagnostics.Compute(trainPasses, config.Loss.Beta);
        return new RunDynamics(runId, config, status, pairs, unavailable, monitor.Alerts, readiness, samples, trainPairs);
    }
}
