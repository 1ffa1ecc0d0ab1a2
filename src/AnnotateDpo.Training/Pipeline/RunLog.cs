using System.Text.Json;
using System.Text.Json.Nodes;
using AnnotateDpo.Training.Trainers;

namespace AnnotateDpo.Training.Pipeline;

/// <summary>
/// The run folder's append-only logs: <c>metrics.jsonl</c>, one object per training step or eval pass (stage, type,
/// step, total_steps and the TRL-named metrics, eval ones with the eval_ prefix), and <c>eval_pairs.jsonl</c>, one
/// object per DPO eval pass with each eval pair's summed log-probabilities. Each line is flushed as written.
/// </summary>
public sealed class RunLog : IDisposable
{
    public const string MetricsFileName = "metrics.jsonl";
    public const string EvalPairsFileName = "eval_pairs.jsonl";

    private static readonly JsonSerializerOptions LineOptions = new(TrainingRunConfig.JsonOptions) { WriteIndented = false };

    private readonly StreamWriter metrics;
    private readonly StreamWriter evalPairs;

    public RunLog(string runFolder)
    {
        metrics = new StreamWriter(Path.Combine(runFolder, MetricsFileName), append: true);
        evalPairs = new StreamWriter(Path.Combine(runFolder, EvalPairsFileName), append: true);
    }

    public void Write(TrainingStage stage, TrainingEvent trainingEvent, TimeSpan elapsed)
    {
        var line = new JsonObject
        {
            ["stage"] = StageName(stage),
            ["type"] = trainingEvent is EvaluationEvent ? "eval" : "train",
            ["step"] = trainingEvent.Step,
            ["total_steps"] = trainingEvent.TotalSteps,
            ["elapsed_seconds"] = Math.Round(elapsed.TotalSeconds, 3),
        };
        var values = trainingEvent switch
        {
            TrainingStepEvent step => step.Metrics,
            EvaluationEvent eval => eval.Metrics,
            _ => new Dictionary<string, double>(),
        };
        foreach (var (name, value) in values.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            line[name] = JsonValue.Create(value);
        WriteLine(metrics, line);

        if (trainingEvent is EvaluationEvent { PairLogProbs.Count: > 0 } evaluation)
        {
            var pairs = new JsonArray();
            foreach (var pair in evaluation.PairLogProbs)
                pairs.Add(new JsonObject { ["index"] = pair.PairIndex, ["chosen"] = pair.Chosen, ["rejected"] = pair.Rejected });
            WriteLine(evalPairs, new JsonObject
            {
                ["stage"] = StageName(stage),
                ["step"] = evaluation.Step,
                ["total_steps"] = evaluation.TotalSteps,
                ["pairs"] = pairs,
            });
        }
    }

    /// <summary>
    /// Drops the lines of <paramref name="stage"/> after step <paramref name="step"/> (and a line cut short by a killed
    /// process) from both logs, for a run resumed from that step's checkpoint.
    /// </summary>
    public static void DropAfter(string runFolder, string stage, int step)
    {
        foreach (var name in new[] { MetricsFileName, EvalPairsFileName })
        {
            var path = Path.Combine(runFolder, name);
            if (!File.Exists(path))
                continue;
            var kept = File.ReadAllLines(path).Where(line => Keeps(line, stage, step)).ToList();
            var temporary = path + ".tmp";
            File.WriteAllLines(temporary, kept);
            File.Move(temporary, path, overwrite: true);
        }
    }

    private static bool Keeps(string line, string stage, int step)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            return root.GetProperty("stage").GetString() != stage || root.GetProperty("step").GetInt32() <= step;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static string StageName(TrainingStage stage) => stage == TrainingStage.Sft ? "sft" : "dpo";

    private static void WriteLine(StreamWriter writer, JsonObject line)
    {
        writer.WriteLine(line.ToJsonString(LineOptions));
        writer.Flush();
    }

    public void Dispose()
    {
        metrics.Dispose();
        evalPairs.Dispose();
    }
}
