using System.Text.Json;
using System.Text.Json.Nodes;
using AnnotateDpo.Training.Trainers;

namespace AnnotateDpo.Training.Pipeline;

/// <summary>
/// The run folder's append-only logs: <c>metrics.jsonl</c>, one object per training step or eval pass (stage, type,
/// step, total_steps and the TRL-named metrics, eval ones with the eval_ prefix), and <c>eval_pairs.jsonl</c>, one
/// object per DPO eval pass with each eval pair's summed log-probabilities and response token counts (the pass before
/// the first step also holds the response token ids and the pair's key, written once), and <c>samples.jsonl</c>, one object per eval pass
/// with the answers to the run's fixed eval prompts. Each line is flushed as written.
/// </summary>
public sealed class RunLog : IDisposable
{
    public const string MetricsFileName = "metrics.jsonl";
    public const string EvalPairsFileName = "eval_pairs.jsonl";
    public const string SamplesFileName = "samples.jsonl";

    /// <summary>The stage name of the eval pairs' pass under the base model, before SFT.</summary>
    public const string BaseStage = "base";

    private static readonly JsonSerializerOptions LineOptions = new(TrainingRunConfig.JsonOptions) { WriteIndented = false };

    private readonly StreamWriter metrics;
    private readonly StreamWriter evalPairs;
    private readonly StreamWriter samples;
    private readonly IReadOnlyList<string?> evalPairKeys;

    /// <param name="evalPairKeys">The eval pairs' keys by index, written with their first pass; empty: none known.</param>
    public RunLog(string runFolder, IReadOnlyList<string?>? evalPairKeys = null)
    {
        this.evalPairKeys = evalPairKeys ?? [];
        metrics = new StreamWriter(Path.Combine(runFolder, MetricsFileName), append: true);
        evalPairs = new StreamWriter(Path.Combine(runFolder, EvalPairsFileName), append: true);
        samples = new StreamWriter(Path.Combine(runFolder, SamplesFileName), append: true);
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
            WritePairs(StageName(stage), evaluation.Step, evaluation.TotalSteps, evaluation.PairLogProbs);
    }

    /// <summary>
    /// The eval pairs under the base model, before SFT changed it (stage <see cref="BaseStage"/>, step 0), so a reader
    /// can see how far SFT moved them before DPO began.
    /// </summary>
    public void WriteBasePass(IReadOnlyList<PairLogProbs> pairs) => WritePairs(BaseStage, 0, 0, pairs);

    private void WritePairs(string stage, int step, int totalSteps, IReadOnlyList<PairLogProbs> logProbs) =>
        WriteLine(evalPairs, PairsLine(stage, step, totalSteps, logProbs, evalPairKeys));

    /// <summary>One line of eval_pairs.jsonl (or of the train split's train_pairs.jsonl); the pass at step 0 also holds ids and keys.</summary>
    internal static JsonObject PairsLine(string stage, int step, int totalSteps, IReadOnlyList<PairLogProbs> logProbs, IReadOnlyList<string?> keys)
    {
        var pairs = new JsonArray();
        foreach (var pair in logProbs)
        {
            var record = new JsonObject
            {
                ["index"] = pair.PairIndex,
                ["chosen"] = pair.Chosen,
                ["rejected"] = pair.Rejected,
                ["chosen_tokens"] = pair.ChosenTokens.Count,
                ["rejected_tokens"] = pair.RejectedTokens.Count,
            };
            if (step == 0)
            {
                if (pair.PairIndex < keys.Count && keys[pair.PairIndex] is { } key)
                    record["key"] = key;
                record["chosen_ids"] = new JsonArray([.. pair.ChosenTokens.Select(id => JsonValue.Create(id))]);
                record["rejected_ids"] = new JsonArray([.. pair.RejectedTokens.Select(id => JsonValue.Create(id))]);
            }
            pairs.Add(record);
        }
        return new JsonObject
        {
            ["stage"] = stage,
            ["step"] = step,
            ["total_steps"] = totalSteps,
            ["pairs"] = pairs,
        };
    }

    internal static string ToLine(JsonObject line) => line.ToJsonString(LineOptions);

    /// <summary>One line of samples.jsonl: the answers to the fixed eval prompts after <paramref name="step"/> steps.</summary>
    public void WriteSamples(TrainingStage stage, int step, int totalSteps, IReadOnlyList<EvalSample> answers)
    {
        var records = new JsonArray();
        foreach (var answer in answers)
        {
            records.Add(new JsonObject
            {
                ["index"] = answer.PromptIndex,
                ["prompt"] = answer.Prompt,
                ["completion"] = answer.Completion,
                ["tokens"] = answer.Tokens,
                ["finished"] = answer.Finished,
            });
        }
        WriteLine(samples, new JsonObject
        {
            ["stage"] = StageName(stage),
            ["step"] = step,
            ["total_steps"] = totalSteps,
            ["samples"] = records,
        });
    }

    /// <summary>
    /// Drops the lines of <paramref name="stage"/> after step <paramref name="step"/> (and a line cut short by a killed
    /// process) from every log, for a run resumed from that step's checkpoint.
    /// </summary>
    public static void DropAfter(string runFolder, string stage, int step)
    {
        foreach (var name in new[] { MetricsFileName, EvalPairsFileName, SamplesFileName })
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
        writer.WriteLine(ToLine(line));
        writer.Flush();
    }

    public void Dispose()
    {
        metrics.Dispose();
        evalPairs.Dispose();
        samples.Dispose();
    }
}
