using System.Text.Json;
using AnnotateDpo.Core.Storage;

namespace AnnotateDpo.Core.Evaluation;

/// <summary>A model folder the app can generate with: a base model under seed-data/models, or a finished run's stage.</summary>
/// <param name="Label">A short name: the folder name for a base model, "run id/stage" for a run's.</param>
/// <param name="Path">The full path of the Hugging Face folder.</param>
/// <param name="Run">The run id, for a run's model.</param>
/// <param name="Stage">"sft" or "dpo", for a run's model.</param>
public sealed record ModelChoice(string Label, string Path, string? Run, string? Stage);

/// <summary>
/// Figures a training run measured on its snapshot's held-out split, read from run.json: the SFT stage's eval loss and
/// the DPO stage's implicit-reward accuracy on the eval pairs (TRL's eval_rewards/accuracies). Null where the run did
/// not measure it.
/// </summary>
public sealed record RunEvalFigures(double? EvalSftLoss, double? EvalRewardAccuracy);

/// <summary>Finds the models to offer: base folders under seed-data/models and the stages of completed runs under runs/.</summary>
public static class ModelCatalog
{
    private const string RunFile = "run.json";

    public static IReadOnlyList<ModelChoice> List(string? seedModelsFolder = null, string? runsFolder = null)
    {
        var choices = new List<ModelChoice>();
        var models = seedModelsFolder ?? Path.Combine(AppPaths.SeedDataFolder, "models");
        if (Directory.Exists(models))
        {
            choices.AddRange(Directory.EnumerateDirectories(models)
                .Where(IsModelFolder)
                .Order(StringComparer.Ordinal)
                .Select(d => new ModelChoice(Path.GetFileName(d), Path.GetFullPath(d), null, null)));
        }
        var runs = runsFolder ?? AppPaths.RunsFolder;
        if (Directory.Exists(runs))
        {
            foreach (var run in Directory.EnumerateDirectories(runs).OrderDescending(StringComparer.Ordinal))
                choices.AddRange(RunModels(run));
        }
        return choices;
    }

    /// <summary>The run a model folder belongs to (its parent holds run.json), and the stage it is; null for any other folder.</summary>
    public static (string Run, string Stage)? RunOf(string modelFolder)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelFolder));
        var parent = Path.GetDirectoryName(full);
        return parent is not null && File.Exists(Path.Combine(parent, RunFile))
            ? (Path.GetFileName(parent), Path.GetFileName(full))
            : null;
    }

    /// <summary>What the run that produced <paramref name="modelFolder"/> measured on its eval split; both null for a base model.</summary>
    public static RunEvalFigures EvalFigures(string modelFolder)
    {
        if (RunOf(modelFolder) is not var (_, stage))
            return new RunEvalFigures(null, null);
        var runFolder = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelFolder)))!;
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(runFolder, RunFile)));
        if (!json.RootElement.TryGetProperty("stages", out var stages))
            return new RunEvalFigures(null, null);
        double? Final(string stageName, string metric) =>
            stages.TryGetProperty(stageName, out var s) && s.TryGetProperty("final_eval", out var eval)
                && eval.ValueKind == JsonValueKind.Object && eval.TryGetProperty(metric, out var value) && value.ValueKind == JsonValueKind.Number
                ? value.GetDouble()
                : null;
        // The SFT loss belongs to the SFT model; the reward accuracy to the DPO model, whose implicit reward it measures.
        return stage switch
        {
            "sft" => new RunEvalFigures(Final("sft", "eval_loss"), null),
            "dpo" => new RunEvalFigures(null, Final("dpo", "eval_rewards/accuracies")),
            _ => new RunEvalFigures(null, null),
        };
    }

    private static IEnumerable<ModelChoice> RunModels(string runFolder)
    {
        var file = Path.Combine(runFolder, RunFile);
        if (!File.Exists(file))
            yield break;
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(File.ReadAllText(file));
        }
        catch (JsonException)
        {
            // A run.json being rewritten or broken is not a model to offer.
            yield break;
        }
        using (json)
        {
            var root = json.RootElement;
            if (!root.TryGetProperty("status", out var status) || status.GetString() != "completed"
                || !root.TryGetProperty("stages", out var stages) || stages.ValueKind != JsonValueKind.Object)
                yield break;
            var id = Path.GetFileName(runFolder);
            foreach (var stage in stages.EnumerateObject())
            {
                if (stage.Value.TryGetProperty("model", out var model) && model.GetString() is { } relative
                    && Path.Combine(runFolder, relative) is var folder && IsModelFolder(folder))
                    yield return new ModelChoice($"{id}/{stage.Name}", Path.GetFullPath(folder), id, stage.Name);
            }
        }
    }

    private static bool IsModelFolder(string folder) => File.Exists(Path.Combine(folder, "config.json"));
}
