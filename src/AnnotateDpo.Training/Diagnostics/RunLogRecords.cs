using System.Globalization;
using System.Text.Json;
using AnnotateDpo.Training.Pipeline;

namespace AnnotateDpo.Training.Diagnostics;

/// <summary>One line of <c>metrics.jsonl</c>: a training step (<c>train</c>) or an eval pass (<c>eval</c>, eval_ names).</summary>
public sealed record MetricsRecord(string Stage, string Type, int Step, int TotalSteps, IReadOnlyDictionary<string, double> Metrics)
{
    public const string TrainType = "train";
    public const string EvalType = "eval";

    public bool IsEval => Type == EvalType;

    public double? Get(string name) => Metrics.TryGetValue(name, out var value) ? value : null;
}

/// <summary>One eval pair in one pass of <c>eval_pairs.jsonl</c>; token ids only in the pass before the first step.</summary>
public sealed record EvalPairRecord(
    int Index,
    double Chosen,
    double Rejected,
    int? ChosenTokens = null,
    int? RejectedTokens = null,
    IReadOnlyList<int>? ChosenIds = null,
    IReadOnlyList<int>? RejectedIds = null,
    string? Key = null);

/// <summary>One line of <c>eval_pairs.jsonl</c>: every eval pair's log-probabilities at <see cref="Step"/>.</summary>
public sealed record EvalPass(string Stage, int Step, int TotalSteps, IReadOnlyList<EvalPairRecord> Pairs);

/// <summary>One line of <c>samples.jsonl</c>: the answers to the run's fixed eval prompts at <see cref="Step"/>.</summary>
public sealed record SamplePass(string Stage, int Step, int TotalSteps, IReadOnlyList<EvalSample> Samples)
{
    public double MeanTokens => Samples.Count == 0 ? 0 : Samples.Average(sample => sample.Tokens);
}

/// <summary>
/// Reads the logs <see cref="RunLog"/> writes. A malformed line is an <see cref="InvalidDataException"/> naming the file,
/// the line and the field; a line being written (the last one, not yet ended) is skipped, so a running run can be read.
/// </summary>
public static class RunLogReader
{
    public static IReadOnlyList<MetricsRecord> ReadMetrics(string runFolder) =>
        ReadLines(Path.Combine(runFolder, RunLog.MetricsFileName), ParseMetrics);

    public static IReadOnlyList<EvalPass> ReadEvalPairs(string runFolder) =>
        ReadLines(Path.Combine(runFolder, RunLog.EvalPairsFileName), ParseEvalPass);

    /// <summary>The train split's two passes (reference and final DPO model) that <see cref="TrainSplitDiagnosis"/> wrote; empty before.</summary>
    public static IReadOnlyList<EvalPass> ReadTrainPairs(string runFolder) =>
        ReadLines(Path.Combine(runFolder, TrainSplitDiagnosis.FileName), ParseEvalPass);

    public static IReadOnlyList<SamplePass> ReadSamples(string runFolder) =>
        ReadLines(Path.Combine(runFolder, RunLog.SamplesFileName), ParseSamplePass);

    private static List<T> ReadLines<T>(string path, Func<JsonElement, Field, T> parse)
    {
        var records = new List<T>();
        if (!File.Exists(path))
            return records;
        // The run may still be writing: share the file with its writer rather than demand it alone.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var lines = text.Split('\n');
        // The writer flushes whole lines, so what follows the last newline is empty or a line still being written.
        for (var i = 0; i < lines.Length - 1; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
                continue;
            var field = new Field(Path.GetFileName(path), i + 1);
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(lines[i]);
            }
            catch (JsonException error)
            {
                throw new InvalidDataException($"{field.File} line {field.Line} is not JSON: {error.Message}", error);
            }
            using (document)
                records.Add(parse(document.RootElement, field));
        }
        return records;
    }

    private static MetricsRecord ParseMetrics(JsonElement line, Field field)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in line.EnumerateObject())
        {
            if (property.Name is "stage" or "type" or "step" or "total_steps" or "elapsed_seconds")
                continue;
            metrics[property.Name] = field.NumberValue(property.Value, property.Name);
        }
        return new MetricsRecord(
            field.String(line, "stage"), field.String(line, "type"), field.Int(line, "step"), field.Int(line, "total_steps"), metrics);
    }

    private static EvalPass ParseEvalPass(JsonElement line, Field field)
    {
        if (!line.TryGetProperty("pairs", out var pairs) || pairs.ValueKind != JsonValueKind.Array)
            throw field.Error("pairs", "is missing or not an array");
        var records = new List<EvalPairRecord>(pairs.GetArrayLength());
        foreach (var pair in pairs.EnumerateArray())
        {
            records.Add(new EvalPairRecord(
                field.Int(pair, "index"),
                field.Number(pair, "chosen"),
                field.Number(pair, "rejected"),
                field.OptionalInt(pair, "chosen_tokens"),
                field.OptionalInt(pair, "rejected_tokens"),
                field.OptionalIds(pair, "chosen_ids"),
                field.OptionalIds(pair, "rejected_ids"),
                field.OptionalString(pair, "key")));
        }
        return new EvalPass(field.String(line, "stage"), field.Int(line, "step"), field.Int(line, "total_steps"), records);
    }

    private static SamplePass ParseSamplePass(JsonElement line, Field field)
    {
        if (!line.TryGetProperty("samples", out var samples) || samples.ValueKind != JsonValueKind.Array)
            throw field.Error("samples", "is missing or not an array");
        var records = samples.EnumerateArray()
            .Select(sample => new EvalSample(
                field.Int(sample, "index"), field.String(sample, "prompt"), field.String(sample, "completion"),
                field.Int(sample, "tokens"), field.Bool(sample, "finished")))
            .ToList();
        return new SamplePass(field.String(line, "stage"), field.Int(line, "step"), field.Int(line, "total_steps"), records);
    }

    /// <summary>Typed access to one line's fields, with errors that say where.</summary>
    private sealed record Field(string File, int Line)
    {
        public InvalidDataException Error(string name, string problem) => new($"{File} line {Line}: '{name}' {problem}.");

        public string String(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()!
                : throw Error(name, "is missing or not a string");

        public string? OptionalString(JsonElement element, string name) =>
            !element.TryGetProperty(name, out var value) ? null
            : value.ValueKind == JsonValueKind.String ? value.GetString()
            : throw Error(name, "is not a string");

        public bool Bool(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? value.GetBoolean()
                : throw Error(name, "is missing or not true/false");

        public int Int(JsonElement element, string name) =>
            OptionalInt(element, name) ?? throw Error(name, "is missing");

        public int? OptionalInt(JsonElement element, string name)
        {
            if (!element.TryGetProperty(name, out var value))
                return null;
            return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
                ? number
                : throw Error(name, "is not an integer");
        }

        public double Number(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) ? NumberValue(value, name) : throw Error(name, "is missing");

        /// <summary>A number, or NaN / Infinity / -Infinity, which the writer spells as strings.</summary>
        public double NumberValue(JsonElement value, string name) => value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String when value.GetString() is "NaN" or "Infinity" or "-Infinity" =>
                double.Parse(value.GetString()!, CultureInfo.InvariantCulture),
            _ => throw Error(name, "is not a number"),
        };

        public IReadOnlyList<int>? OptionalIds(JsonElement element, string name)
        {
            if (!element.TryGetProperty(name, out var value))
                return null;
            if (value.ValueKind != JsonValueKind.Array)
                throw Error(name, "is not an array of token ids");
            var ids = new int[value.GetArrayLength()];
            var i = 0;
            foreach (var id in value.EnumerateArray())
                ids[i++] = id.ValueKind == JsonValueKind.Number && id.TryGetInt32(out var number) ? number : throw Error(name, "holds a non-integer id");
            return ids;
        }
    }
}
