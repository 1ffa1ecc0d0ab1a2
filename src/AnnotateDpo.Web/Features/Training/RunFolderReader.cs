using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AnnotateDpo.Web.Features.Training;

/// <summary>One line of metrics.jsonl: a training step (train) or an eval pass (eval) of a stage, with its TRL-named values.</summary>
public sealed record MetricPoint(string Stage, bool IsEval, int Step, int TotalSteps, double ElapsedSeconds, IReadOnlyDictionary<string, double> Values)
{
    public double? Get(string name) => Values.TryGetValue(name, out var value) && double.IsFinite(value) ? value : null;
}

/// <summary>A stage's entry in run.json.</summary>
public sealed record StageStatus(string Name, string State, int Steps, int TotalSteps, string? ModelFolder);

/// <summary>What run.json says about a run: its state as the trainer wrote it (running, completed, cancelled, failed).</summary>
public sealed record RunFileStatus(
    string State, string? Device, IReadOnlyList<StageStatus> Stages, string? Error, IReadOnlyList<string> Warnings, string? LastCheckpoint, double? TotalSeconds)
{
    public StageStatus? Stage(string name) => Stages.FirstOrDefault(s => s.Name == name);
}

/// <summary>Reads a run folder's run.json and metrics.jsonl.</summary>
public static class RunFolderReader
{
    /// <summary>run.json, or null while the trainer has not written it yet.</summary>
    public static RunFileStatus? ReadStatus(string runFolder)
    {
        var path = TrainerFiles.StatusFile(runFolder);
        if (!File.Exists(path))
            return null;
        // The trainer replaces run.json by a rename, so a read sees a whole file; a race with the rename is retried on the next poll.
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        var stages = new List<StageStatus>();
        if (root.TryGetProperty("stages", out var stagesElement) && stagesElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var stage in stagesElement.EnumerateObject())
                stages.Add(new StageStatus(stage.Name, String(stage.Value, "state") ?? "running", Int(stage.Value, "steps"), Int(stage.Value, "total_steps"), String(stage.Value, "model")));
        }
        var warnings = root.TryGetProperty("warnings", out var warningsElement) && warningsElement.ValueKind == JsonValueKind.Array
            ? warningsElement.EnumerateArray().Select(w => w.GetString() ?? "").ToList()
            : [];
        return new RunFileStatus(String(root, "status") ?? "running", String(root, "device"), stages, String(root, "error"), warnings,
            String(root, "last_checkpoint"), root.TryGetProperty("total_seconds", out var total) && total.ValueKind == JsonValueKind.Number ? total.GetDouble() : null);
    }

    /// <summary>Every whole line of metrics.jsonl.</summary>
    public static IReadOnlyList<MetricPoint> ReadMetrics(string runFolder)
    {
        var tail = new MetricsTail(runFolder);
        tail.Poll();
        return tail.Points;
    }

    public static MetricPoint ParseLine(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name is "stage" or "type" or "step" or "total_steps" or "elapsed_seconds")
                continue;
            if (property.Value.ValueKind == JsonValueKind.Number)
                values[property.Name] = property.Value.GetDouble();
            else if (property.Value.ValueKind == JsonValueKind.String
                && double.TryParse(property.Value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var named))
                values[property.Name] = named; // NaN and Infinity are written as strings
        }
        return new MetricPoint(String(root, "stage") ?? "", String(root, "type") == "eval", Int(root, "step"), Int(root, "total_steps"),
            root.TryGetProperty("elapsed_seconds", out var elapsed) ? elapsed.GetDouble() : 0, values);
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : 0;
}

/// <summary>
/// Follows a growing metrics.jsonl: each <see cref="Poll"/> reads what was appended since the last one, keeping a line
/// that is not finished yet for the next poll. A file that shrank (a resume drops the lines after its checkpoint) is
/// read again from the start.
/// </summary>
public sealed class MetricsTail(string runFolder)
{
    private readonly string path = Path.Combine(runFolder, TrainerFiles.Metrics);
    private readonly List<MetricPoint> points = [];
    private long offset;
    private string partial = "";

    public IReadOnlyList<MetricPoint> Points => points;

    /// <summary>Reads new lines; true when <see cref="Points"/> changed.</summary>
    public bool Poll()
    {
        if (!File.Exists(path))
            return false;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var changed = false;
        if (stream.Length < offset)
        {
            points.Clear();
            offset = 0;
            partial = "";
            changed = true;
        }
        if (stream.Length == offset)
            return changed;
        stream.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[stream.Length - offset];
        stream.ReadExactly(buffer);
        offset += buffer.Length;
        var text = partial + Encoding.UTF8.GetString(buffer);
        var lines = text.Split('\n');
        partial = lines[^1];
        foreach (var line in lines[..^1].Where(l => l.Trim().Length > 0))
            points.Add(RunFolderReader.ParseLine(line));
        return changed || lines.Length > 1;
    }
}
