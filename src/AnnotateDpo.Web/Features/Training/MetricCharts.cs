namespace AnnotateDpo.Web.Features.Training;

/// <summary>One line of a chart: its label and its (step, value) points in step order.</summary>
public sealed record ChartLine(string Label, IReadOnlyList<(int Step, double Value)> Points);

/// <summary>A chart of one stage: its title and the metrics it draws (eval ones are read from eval lines).</summary>
public sealed record ChartSpec(string Title, IReadOnlyList<(string Label, string Metric)> Metrics);

/// <summary>The charts the training page draws for each stage, and the lines they are made of.</summary>
public static class MetricCharts
{
    public const string EvalPrefix = "eval_";

    /// <summary>Titles and labels are English keys, localised by the page.</summary>
    public static IReadOnlyList<ChartSpec> For(string stage) => stage == "sft"
        ? [Loss, LearningRate, GradNorm]
        :
        [
            Loss,
            new("Rewards: chosen vs rejected", [("rewards/chosen", "rewards/chosen"), ("rewards/rejected", "rewards/rejected")]),
            new("Reward margin", [("rewards/margins", "rewards/margins"), ("eval_rewards/margins", "eval_rewards/margins")]),
            new("Reward accuracy", [("rewards/accuracies", "rewards/accuracies"), ("eval_rewards/accuracies", "eval_rewards/accuracies")]),
            new("Log-probs: chosen vs rejected", [("logps/chosen", "logps/chosen"), ("logps/rejected", "logps/rejected")]),
            LearningRate,
            GradNorm,
        ];

    /// <summary>The metrics a comparison of runs can overlay.</summary>
    public static IReadOnlyList<string> Comparable { get; } =
        ["loss", "eval_loss", "rewards/margins", "rewards/accuracies", "eval_rewards/margins", "eval_rewards/accuracies", "logps/chosen", "logps/rejected", "learning_rate", "grad_norm"];

    private static readonly ChartSpec Loss = new("Loss", [("loss", "loss"), ("eval_loss", "eval_loss")]);
    private static readonly ChartSpec LearningRate = new("Learning rate", [("learning_rate", "learning_rate")]);
    private static readonly ChartSpec GradNorm = new("Gradient norm", [("grad_norm", "grad_norm")]);

    public static ChartLine Line(string label, IEnumerable<MetricPoint> points, string stage, string metric)
    {
        var eval = metric.StartsWith(EvalPrefix, StringComparison.Ordinal);
        var values = points
            .Where(p => p.Stage == stage && p.IsEval == eval)
            .Select(p => (p.Step, Value: p.Get(metric)))
            .Where(p => p.Value is not null)
            .Select(p => (p.Step, p.Value!.Value))
            .ToList();
        return new ChartLine(label, values);
    }

    public static IReadOnlyList<ChartLine> Lines(ChartSpec spec, IReadOnlyList<MetricPoint> points, string stage) =>
        spec.Metrics.Select(m => Line(m.Label, points, stage, m.Metric)).Where(l => l.Points.Count > 0).ToList();
}
