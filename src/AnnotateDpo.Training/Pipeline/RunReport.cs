using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using AnnotateDpo.Training.Trainers;

namespace AnnotateDpo.Training.Pipeline;

/// <summary>
/// report.html: one self-contained page per run (no scripts, no external files) with the run's state, snapshot,
/// config, each stage's final metrics and inline SVG charts of the metrics.jsonl series, so a run can be judged and
/// archived without the app.
/// </summary>
public static class RunReport
{
    private const int Width = 560;
    private const int Height = 200;
    private const int Left = 64;
    private const int Right = 12;
    private const int Top = 12;
    private const int Bottom = 28;

    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"];

    /// <summary>A chart: its title and the metrics it draws, train ones and their eval_ counterparts.</summary>
    private static readonly (string Title, string[] Metrics)[] Charts =
    [
        ("Loss", [TrainingMetrics.Loss, TrainingMetrics.EvalPrefix + TrainingMetrics.Loss]),
        ("Rewards: chosen vs rejected", [TrainingMetrics.RewardsChosen, TrainingMetrics.RewardsRejected]),
        ("Reward margins", [TrainingMetrics.RewardsMargins, TrainingMetrics.EvalPrefix + TrainingMetrics.RewardsMargins]),
        ("Reward accuracies", [TrainingMetrics.RewardsAccuracies, TrainingMetrics.EvalPrefix + TrainingMetrics.RewardsAccuracies]),
        ("Log-probs: chosen vs rejected", [TrainingMetrics.LogpsChosen, TrainingMetrics.LogpsRejected]),
        ("Learning rate", [TrainingMetrics.LearningRate]),
        ("Grad norm", [TrainingMetrics.GradNorm]),
    ];

    /// <summary>Writes report.html from the run folder's config.json, run.json and metrics.jsonl.</summary>
    public static string Write(string runFolder)
    {
        var status = RunStatus.Load(runFolder);
        var configPath = Path.Combine(runFolder, TrainingRunConfig.FileName);
        var config = File.Exists(configPath) ? File.ReadAllText(configPath) : "";
        var lines = ReadMetrics(Path.Combine(runFolder, RunLog.MetricsFileName));

        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Run {Encode(status.RunId)}</title>
            <style>
            body{"{"}font-family:system-ui,sans-serif;margin:24px;color:#222{"}"} table{"{"}border-collapse:collapse{"}"}
            td,th{"{"}border:1px solid #ccc;padding:2px 8px;text-align:left;font-variant-numeric:tabular-nums{"}"}
            .charts{"{"}display:flex;flex-wrap:wrap;gap:16px{"}"} figure{"{"}margin:0{"}"} pre{"{"}background:#f6f6f6;padding:8px;overflow:auto{"}"}
            .error{"{"}color:#b00020{"}"}
            </style></head><body>
            <h1>Run {Encode(status.RunId)}: {Encode(Name(status.State))}</h1>
            <table>
            <tr><th>Workspace</th><td>{Encode(status.Workspace ?? "")}</td></tr>
            <tr><th>Snapshot</th><td>{status.SnapshotId?.ToString(CultureInfo.InvariantCulture) ?? ""}</td></tr>
            <tr><th>Snapshot hash</th><td><code>{Encode(status.SnapshotHash ?? "")}</code></td></tr>
            <tr><th>Device</th><td>{Encode(status.Device ?? "")}</td></tr>
            <tr><th>Started</th><td>{status.StartedAt:u}</td></tr>
            <tr><th>Finished</th><td>{status.FinishedAt?.ToString("u", CultureInfo.InvariantCulture) ?? ""}</td></tr>
            <tr><th>Seconds</th><td>{status.TotalSeconds?.ToString("F1", CultureInfo.InvariantCulture) ?? ""}</td></tr>
            <tr><th>Resumes</th><td>{status.Resumes}</td></tr>
            </table>

            """);
        if (status.Error is { } error)
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"error\">Error: {Encode(error)}</p>\n");
        foreach (var warning in status.Warnings)
            html.Append(CultureInfo.InvariantCulture, $"<p>Warning: {Encode(warning)}</p>\n");

        foreach (var (name, stage) in status.Stages)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<h2>{Encode(name)}: {Encode(Name(stage.State))}, {stage.Steps}/{stage.TotalSteps} steps, {stage.TrainCount} train / {stage.EvalCount} eval</h2>\n");
            AppendFinalMetrics(html, stage);
            html.Append("<div class=\"charts\">\n");
            var stageLines = lines.Where(l => l.Stage == name).ToList();
            foreach (var (title, metrics) in Charts)
                AppendChart(html, title, metrics, stageLines);
            html.Append("</div>\n");
        }
        html.Append(CultureInfo.InvariantCulture, $"<h2>Config</h2>\n<pre>{Encode(config)}</pre>\n</body></html>\n");

        var path = Path.Combine(runFolder, RunFiles.ReportFileName);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, html.ToString());
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    private sealed record MetricLine(string Stage, int Step, IReadOnlyDictionary<string, double> Values);

    private static List<MetricLine> ReadMetrics(string path)
    {
        var lines = new List<MetricLine>();
        if (!File.Exists(path))
            return lines;
        foreach (var text in File.ReadLines(path))
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var values = root.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.Number && p.Name is not ("step" or "total_steps" or "elapsed_seconds"))
                .ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal);
            lines.Add(new MetricLine(root.GetProperty("stage").GetString() ?? "", root.GetProperty("step").GetInt32(), values));
        }
        return lines;
    }

    private static void AppendFinalMetrics(StringBuilder html, StageSummary stage)
    {
        var rows = (stage.FinalTrain ?? new Dictionary<string, double>())
            .Concat(stage.FinalEval ?? new Dictionary<string, double>())
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ToList();
        if (rows.Count == 0)
            return;
        html.Append("<table><tr><th>Final metric</th><th>Value</th></tr>\n");
        foreach (var (name, value) in rows)
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(name)}</td><td>{Format(value)}</td></tr>\n");
        html.Append("</table>\n");
    }

    private static void AppendChart(StringBuilder html, string title, string[] metrics, List<MetricLine> lines)
    {
        var series = metrics
            .Select(metric => (Metric: metric, Points: lines
                .Where(l => l.Values.TryGetValue(metric, out var v) && double.IsFinite(v))
                .Select(l => (X: (double)l.Step, Y: l.Values[metric]))
                .ToList()))
            .Where(s => s.Points.Count > 0)
            .ToList();
        if (series.Count == 0)
            return;

        var points = series.SelectMany(s => s.Points).ToList();
        var (minX, maxX) = (points.Min(p => p.X), points.Max(p => p.X));
        var (minY, maxY) = (points.Min(p => p.Y), points.Max(p => p.Y));
        if (maxX == minX) maxX = minX + 1;
        if (maxY == minY) (minY, maxY) = (minY - 0.5, maxY + 0.5);
        double ScaleX(double x) => Left + (x - minX) / (maxX - minX) * (Width - Left - Right);
        double ScaleY(double y) => Top + (maxY - y) / (maxY - minY) * (Height - Top - Bottom);

        html.Append(CultureInfo.InvariantCulture, $"""
            <figure><figcaption>{Encode(title)}</figcaption>
            <svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" role="img" aria-label="{Encode(title)}">
            <rect x="{Left}" y="{Top}" width="{Width - Left - Right}" height="{Height - Top - Bottom}" fill="none" stroke="#ccc"/>
            <text x="{Left - 4}" y="{Top + 10}" text-anchor="end" font-size="10">{Format(maxY)}</text>
            <text x="{Left - 4}" y="{Height - Bottom}" text-anchor="end" font-size="10">{Format(minY)}</text>
            <text x="{Left}" y="{Height - 10}" font-size="10">step {Format(minX)}</text>
            <text x="{Width - Right}" y="{Height - 10}" text-anchor="end" font-size="10">{Format(maxX)}</text>

            """);
        for (var i = 0; i < series.Count; i++)
        {
            var (metric, seriesPoints) = series[i];
            var color = Colors[i % Colors.Length];
            var coordinates = string.Join(" ", seriesPoints.Select(p => string.Create(CultureInfo.InvariantCulture, $"{ScaleX(p.X):F1},{ScaleY(p.Y):F1}")));
            html.Append(CultureInfo.InvariantCulture,
                $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"{coordinates}\"/>\n");
            if (seriesPoints.Count == 1)
                html.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{ScaleX(seriesPoints[0].X):F1}\" cy=\"{ScaleY(seriesPoints[0].Y):F1}\" r=\"3\" fill=\"{color}\"/>\n");
            html.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{Left + 8 + 150 * i}\" y=\"{Top + 12}\" font-size=\"11\" fill=\"{color}\">{Encode(metric)}</text>\n");
        }
        html.Append("</svg></figure>\n");
    }

    private static string Name(RunState state) => JsonSerializer.Serialize(state).Trim('"');

    private static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
