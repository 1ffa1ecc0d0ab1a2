using AnnotateDpo.Training.Diagnostics;

namespace AnnotateDpo.Web.Features.Dynamics;

/// <summary>
/// A pair's path in the plot's coordinates, from the reference (first point) to the last eval step, and where it sat
/// under the base model before SFT (<see cref="Base"/>, when the run had SFT first).
/// </summary>
public sealed record PlotPair(int Index, PairOutcome Outcome, IReadOnlyList<PlotPoint> Points, PlotPoint? Base = null);

public readonly record struct PlotPoint(double X, double Y);

/// <summary>The square [Low, High]² a plot shows.</summary>
public readonly record struct PlotRange(double Low, double High)
{
    public double Span => High - Low;
}

/// <summary>
/// Where pairs sit in the field's plane. Summed log-probabilities of whole answers are far below anything a (0, 1)
/// axis can show, so a pair is placed by its per-token log-probability log p / n (its geometric-mean token
/// probability in the linear plot) when the log has token counts, and by the summed value otherwise.
/// </summary>
public static class DynamicsPlotData
{
    private const double SmallestProbability = 1e-6;

    public static bool PerToken(PairDiagnostic pair) => pair.ChosenTokens is > 0 && pair.RejectedTokens is > 0;

    public static PlotPoint LogPoint(PairDiagnostic pair, TrajectoryPoint point) => PerToken(pair)
        ? new PlotPoint(point.Chosen / pair.ChosenTokens!.Value, point.Rejected / pair.RejectedTokens!.Value)
        : new PlotPoint(point.Chosen, point.Rejected);

    public static PlotPair For(PairDiagnostic pair, FieldCoordinates coordinates)
    {
        PlotPoint Place(TrajectoryPoint point) => LogPoint(pair, point) is var p && coordinates == FieldCoordinates.Probability
            ? new PlotPoint(Math.Exp(p.X), Math.Exp(p.Y))
            : p;
        return new PlotPair(pair.Index, pair.Outcome, pair.Trajectory.Select(Place).ToList(), pair.Base is { } atBase ? Place(atBase) : null);
    }

    /// <summary>
    /// The field for β with its reference at a pair's starting point (<paramref name="referencePair"/>), or at the
    /// mean starting point of all pairs when null, or at (½, ½) when there are none.
    /// </summary>
    public static DpoField Field(double beta, IReadOnlyList<PairDiagnostic> pairs, int? referencePair)
    {
        var starts = pairs.Where(p => referencePair is null || p.Index == referencePair)
            .Select(p => LogPoint(p, p.Trajectory[0]))
            .ToList();
        if (starts.Count == 0)
            return new DpoField(beta, 0.5, 0.5);
        return new DpoField(beta, Probability(starts.Average(s => s.X)), Probability(starts.Average(s => s.Y)));
    }

    /// <summary>[0, 1] for probabilities; for log-probabilities from just below the lowest point to 0.</summary>
    public static PlotRange Range(FieldCoordinates coordinates, IReadOnlyList<PlotPair> pairs)
    {
        if (coordinates == FieldCoordinates.Probability)
            return new PlotRange(0, 1);
        var lowest = pairs.SelectMany(p => p.Base is { } atBase ? [.. p.Points, atBase] : p.Points)
            .SelectMany(p => new[] { p.X, p.Y }).DefaultIfEmpty(-4).Min();
        return new PlotRange(Math.Min(-1, Math.Floor(lowest * 1.1)), 0);
    }

    private static double Probability(double logProbability) =>
        Math.Clamp(Math.Exp(logProbability), SmallestProbability, 1 - SmallestProbability);
}

/// <summary>The SVG plot's layout in pixels, shared by the plot and its tests.</summary>
public static class PlotFrame
{
    public const double Size = 420;
    public const double Left = 56;
    public const double Right = 12;
    public const double Top = 12;
    public const double Bottom = 48;
    public const double Width = Size - Left - Right;
    public const double Height = Size - Top - Bottom;

    public static double X(double x, PlotRange range) => Left + (x - range.Low) / range.Span * Width;

    public static double Y(double y, PlotRange range) => Top + (range.High - y) / range.Span * Height;
}
