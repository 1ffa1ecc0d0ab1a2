using System.Globalization;
using AnnotateDpo.Training.Diagnostics;
using AnnotateDpo.Web.Features.Dynamics;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AnnotateDpo.Web.Tests.Features.Dynamics;

public sealed class FieldPlotTests : BunitContext, IAsyncLifetime
{
    public FieldPlotTests()
    {
        Services.AddLocalization();
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>MudBlazor's services can only be disposed asynchronously.</summary>
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    private static double Attribute(AngleSharp.Dom.IElement element, string name) =>
        double.Parse(element.GetAttribute(name)!, CultureInfo.InvariantCulture);

    [Fact]
    public void FieldPlot_Probabilities_PlacesStartAndEndWhereTheAxesSay()
    {
        // The plot area is 352 × 360 px from (56, 12): p = 0.5 lies at x = 56 + 176, p = 0.25 at y = 12 + 0.75 · 360.
        PlotPair pair = new(3, PairOutcome.Displacement, [new PlotPoint(0.5, 0.25), new PlotPoint(0.45, 0.2), new PlotPoint(0.4, 0.1)]);

        var plot = Render<FieldPlot>(p => p
            .Add(c => c.Field, new DpoField(0.1, 0.5, 0.5))
            .Add(c => c.Pairs, new[] { pair }));

        var group = plot.Find("g[data-role=pair]");
        Assert.Equal(("3", "Displacement"), (group.GetAttribute("data-pair"), group.GetAttribute("data-outcome")));
        var start = group.QuerySelector("circle[data-role=start]")!;
        Assert.Equal((232.0, 282.0), (Attribute(start, "cx"), Attribute(start, "cy")));
        var end = group.QuerySelector("circle[data-role=end]")!;
        Assert.Equal((196.8, 336.0), (Attribute(end, "cx"), Attribute(end, "cy")));
        Assert.Equal(FieldPlot.OutcomeColour(PairOutcome.Displacement), end.GetAttribute("fill"));
        Assert.Equal(3, group.QuerySelector("polyline")!.GetAttribute("points")!.Split(' ').Length);
        var reference = plot.Find("g[data-role=reference]").GetAttribute("transform");
        Assert.Equal("translate(232 192)", reference);
    }

    [Fact]
    public void FieldPlot_Probabilities_ArrowsPushChosenUpAndRejectedDownHarderNearTheAxis()
    {
        var plot = Render<FieldPlot>(p => p
            .Add(c => c.Field, new DpoField(0.1, 0.5, 0.5))
            .Add(c => c.GridSize, 4));

        var arrows = plot.FindAll("line[data-role=arrow]");
        Assert.Equal(16, arrows.Count);
        Assert.All(arrows, a =>
        {
            Assert.True(Attribute(a, "x2") > Attribute(a, "x1"), "p_w should grow: rightwards");
            Assert.True(Attribute(a, "y2") > Attribute(a, "y1"), "p_l should shrink: downwards on screen");
        });
        // First row (p_l = 0.125): at p_w = 0.125 the push on p_w equals the push on p_l, so the arrow is diagonal;
        // at p_w = 0.875 the push on p_l is 7 times the push on p_w, so the arrow is steeper.
        double Slope(AngleSharp.Dom.IElement a) => (Attribute(a, "y2") - Attribute(a, "y1")) / (Attribute(a, "x2") - Attribute(a, "x1"));
        Assert.Equal(1, Slope(arrows[0]), 1);
        Assert.Equal(7, Slope(arrows[3]), 1);
        Assert.Equal(5, plot.FindAll("g[data-role=tick]").Count);
    }

    [Fact]
    public void FieldPlot_LogCoordinates_UsesTheGivenRangeAndLabelsTheAxesPerToken()
    {
        PlotPair pair = new(0, PairOutcome.ChosenRose, [new PlotPoint(-1, -3)]);

        var plot = Render<FieldPlot>(p => p
            .Add(c => c.Field, new DpoField(0.1, 0.5, 0.5))
            .Add(c => c.Coordinates, FieldCoordinates.LogProbability)
            .Add(c => c.Range, new PlotRange(-4, 0))
            .Add(c => c.Pairs, new[] { pair }));

        var start = plot.Find("circle[data-role=start]");
        Assert.Equal((320.0, 282.0), (Attribute(start, "cx"), Attribute(start, "cy")));
        Assert.Empty(plot.FindAll("polyline"));
        Assert.Contains("log p_w (chosen), per token", plot.Markup, StringComparison.Ordinal);
        Assert.Equal(["-4", "-3", "-2", "-1", "0"], plot.FindAll("text[data-role=x-tick]").Select(t => t.TextContent));
        // In log coordinates every arrow points along (1, −1): down and to the right at 45°.
        Assert.All(plot.FindAll("line[data-role=arrow]"), a =>
            Assert.Equal(Attribute(a, "x2") - Attribute(a, "x1"), Attribute(a, "y2") - Attribute(a, "y1"), 1));
    }

    [Fact]
    public void FieldPlot_Legend_NamesEveryOutcome()
    {
        var plot = Render<FieldPlot>(p => p.Add(c => c.Field, new DpoField(0.1, 0.5, 0.5)));

        Assert.Equal(Enum.GetNames<PairOutcome>(), plot.FindAll("[data-legend]").Select(l => l.GetAttribute("data-legend")));
        Assert.Contains("displacement: chosen fell while the margin grew", plot.Find("[data-legend=Displacement]").TextContent, StringComparison.Ordinal);
    }
}
