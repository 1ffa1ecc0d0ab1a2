using AnnotateDpo.Training.Hf;
using AnnotateDpo.Training.Objectives;
using AnnotateDpo.Training.Runtime;
using AnnotateDpo.Training.Tokenization;

namespace AnnotateDpo.Training.Pipeline;

/// <summary>
/// The per-pair diagnostics of a finished run's train split, on demand: the run logs only its eval pairs as it trains
/// (scoring every train pair at every eval would double a small run's cost), so this scores the train pairs once under
/// the DPO stage's reference (the SFT model, or the base model without SFT) and once under the final DPO model, and
/// writes the two passes to <c>train_pairs.jsonl</c> in the shape of eval_pairs.jsonl.
/// </summary>
public static class TrainSplitDiagnosis
{
    public const string FileName = "train_pairs.jsonl";

    /// <param name="pairTrain">The run's train pairs, from the snapshot whose hash run.json records.</param>
    /// <param name="onPass">Called after each of the two passes with how many are done.</param>
    /// <returns>The file written; it replaces an earlier one whole, never half-written.</returns>
    /// <exception cref="ArgumentException">The run has no finished DPO stage, or no train pairs are given.</exception>
    public static string Write(string runFolder, IReadOnlyList<PreferenceSample> pairTrain, Action<int>? onPass = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pairTrain);
        runFolder = Path.GetFullPath(runFolder);
        var status = RunStatus.Load(runFolder);
        var dpo = RunLog.StageName(TrainingStage.Dpo);
        if (status.Stages.GetValueOrDefault(dpo) is not { State: RunState.Completed, ModelFolder: { } dpoFolder } dpoStage)
            throw new ArgumentException($"Run {status.RunId} has no completed DPO stage, so there is no final model to diagnose its train split with.");
        if (pairTrain.Count == 0)
            throw new ArgumentException($"Run {status.RunId}'s snapshot has no train pairs to diagnose.");
        var config = TrainingRunConfig.Load(Path.Combine(runFolder, TrainingRunConfig.FileName));
        var sft = RunLog.StageName(TrainingStage.Sft);
        var referenceFolder = status.Stages.GetValueOrDefault(sft)?.ModelFolder is { } sftFolder
            ? Path.Combine(runFolder, sftFolder)
            : config.ModelDirectory;

        TorchRuntime.EnsureInitialized();
        var device = TorchDevice.Select();
        var finalFolder = Path.Combine(runFolder, dpoFolder);
        using var tokenizer = HfTokenizer.Load(finalFolder);
        var objective = new DpoObjective(pairTrain, pairTrain, tokenizer, ChatFormats.For(tokenizer, config.ChatFormat), overflow: config.SequenceOverflow);
        var keys = pairTrain.Select(pair => pair.Key).ToList();
        var lines = new List<string>(2);
        foreach (var (folder, step) in new[] { (referenceFolder, 0), (finalFolder, dpoStage.Steps) })
        {
            using var model = HfModelLoader.Load(folder, device.Device, device.TrainingDtype);
            var pairs = objective.ScoreEval(model, config.Dpo.EvalBatchSize, cancellationToken);
            lines.Add(RunLog.ToLine(RunLog.PairsLine(dpo, step, dpoStage.TotalSteps, pairs, keys)));
            onPass?.Invoke(lines.Count);
        }
        var path = Path.Combine(runFolder, FileName);
        var temporary = path + ".tmp";
        File.WriteAllLines(temporary, lines);
        File.Move(temporary, path, overwrite: true);
        return path;
    }
}
