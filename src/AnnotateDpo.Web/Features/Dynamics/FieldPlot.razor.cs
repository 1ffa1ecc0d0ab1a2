using System.Globalization;
using AnnotateDpo.Training.Diagnostics;
using Microsoft.AspNetCore.Components;

namespace AnnotateDpo.Web.Features.Dynamics;

public partial class FieldPlot
{
    /// <summary>The field to draw (β and the reference point); required.</summary>
    [Parameter, EditorRequired] public DpoField Field { get; set; } = null!;

    /// <summary>Probability (0, 1)² or log-probability coordinates. Default: probability.</summary>
    [Parameter] public FieldCoordinates Coordinates { get; set; } = FieldCoordinates.Probability;

    /// <summary>The square shown; default [0, 1]².</summary>
    [Parameter] public PlotRange Range { get; set; } = new(0, 1);

    /// <summary>The pairs' paths in <see cref="Coordinates"/>. Default: none.</summary>
    [Parameter] public IReadOnlyList<PlotPair> Pairs { get; set; } = [];

    /// <summary>Whether pair positions are per token (the axis titles say so). Default: true.</summary>
    [Parameter] public bool PerToken { get; set; } = true;

    /// <summary>Arrows per side. Default: 14.</summary>
    [Parameter] public int GridSize { get; set; } = 14;

    private readonly string _arrowId = $"arrow-{Guid.NewGuid():N}";
    private List<Arrow> _arrows = [];

    private sealed record Arrow(double X1, double Y1, double X2, double Y2, double Opacity);

    private double ReferenceX => Coordinates == FieldCoordinates.Probability ? Field.ReferenceChosen : Math.Log(Field.ReferenceChosen);

    private double ReferenceY => Coordinates == FieldCoordinates.Probability ? Field.ReferenceRejected : Math.Log(Field.ReferenceRejected);

    private string Caption => Coordinates == FieldCoordinates.Probability
        ? T["The DPO field over (p_w, p_l), β = {0}", Field.Beta.ToString("G3", CultureInfo.CurrentCulture)]
        : T["The DPO field over (log p_w, log p_l), β = {0}", Field.Beta.ToString("G3", CultureInfo.CurrentCulture)];

    private string XTitle => AxisTitle(Coordinates == FieldCoordinates.Probability ? T["p_w (chosen)"] : T["log p_w (chosen)"]);

    private string YTitle => AxisTitle(Coordinates == FieldCoordinates.Probability ? T["p_l (rejected)"] : T["log p_l (rejected)"]);

    private string AxisTitle(string title) => PerToken ? $"{title}, {T["per token"]}" : title;

    protected override void OnParametersSet()
    {
        var grid = Field.Sample(Coordinates, Range.Low, Range.High, GridSize);
        var magnitudes = grid.Select(v => v.Magnitude).ToList();
        var (smallest, largest) = (Math.Log(magnitudes.Min()), Math.Log(magnitudes.Max()));
        var length = 0.8 * PlotFrame.Width / GridSize;
        _arrows = grid.Select(v =>
        {
            // Every arrow has the same length, so direction reads clearly; strength shows as darkness, on a log scale
            // because the probability field's magnitudes span orders of magnitude near the axes.
            var (dx, dy) = (v.Dx / v.Magnitude, -v.Dy / v.Magnitude); // SVG's y grows downwards
            var share = largest > smallest ? (Math.Log(v.Magnitude) - smallest) / (largest - smallest) : 1;
            var (x, y) = (PlotFrame.X(v.X, Range), PlotFrame.Y(v.Y, Range));
            return new Arrow(x - dx * length / 2, y - dy * length / 2, x + dx * length / 2, y + dy * length / 2, 0.2 + 0.8 * share);
        }).ToList();
    }

    private IEnumerable<double> Ticks() => Enumerable.Range(0, 5).Select(i => Range.Low + i * Range.Span / 4);

    private static string Label(double tick) => tick.ToString("0.##", CultureInfo.CurrentCulture);

    private string Polyline(PlotPair pair) =>
        string.Join(' ', pair.Points.Select(p => $"{F(PlotFrame.X(p.X, Range))},{F(PlotFrame.Y(p.Y, Range))}"));

    /// <summary>SVG coordinates, always with a decimal point.</summary>
    internal static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    internal static string OutcomeColour(PairOutcome outcome) => outcome switch
    {
        PairOutcome.ChosenRose => "#2e7d32",
        PairOutcome.Displacement => "#d84315",
        PairOutcome.Suppression => "#6a1b9a",
        _ => "#757575",
    };

    private string OutcomeLabel(PairOutcome outcome) => DynamicsLabels.Outcome(T, outcome);
}
