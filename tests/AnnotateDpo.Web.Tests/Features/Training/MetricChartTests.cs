using AnnotateDpo.Web.Features.Training;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AnnotateDpo.Web.Tests.Features.Training;

public sealed class MetricChartTests : BunitContext
{
    public MetricChartTests()
    {
        Services.AddLocalization();
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void MetricChart_TrainAndEvalLines_TableHasOneRowPerStepWithGapsLeftEmpty()
    {
        MetricPoint[] metrics =
        [
            new("dpo", true, 0, 2, 0, new Dictionary<string, double> { ["eval_loss"] = 0.6931 }),
            new("dpo", false, 1, 2, 1, new Dictionary<string, double> { ["loss"] = 0.69 }),
            new("dpo", false, 2, 2, 2, new Dictionary<string, double> { ["loss"] = 0.5 }),
            new("dpo", true, 2, 2, 2, new Dictionary<string, double> { ["eval_loss"] = 0.55 }),
            new("sft", false, 1, 1, 1, new Dictionary<string, double> { ["loss"] = 4.4 }),
        ];
        var spec = MetricCharts.For("dpo").First(c => c.Title == "Loss");

        var chart = Render<MetricChart>(p => p.Add(c => c.Title, "DPO · Loss").Add(c => c.Lines, MetricCharts.Lines(spec, metrics, "dpo")));

        var rows = chart.FindAll("tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToArray()).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(["0", "", 0.6931.ToString("N4")], rows[0]);
        Assert.Equal(["1", 0.69.ToString("N4"), ""], rows[1]);
        Assert.Equal(["2", 0.5.ToString("N4"), 0.55.ToString("N4")], rows[2]);
        Assert.Equal("DPO · Loss", chart.Find("caption").TextContent);
    }

    [Fact]
    public void MetricChart_NoPoints_SaysSo()
    {
        var chart = Render<MetricChart>(p => p.Add(c => c.Title, "SFT · Loss").Add(c => c.Lines, []));

        Assert.Empty(chart.FindAll("table"));
        Assert.Contains("No points yet.", chart.Markup);
    }
}
