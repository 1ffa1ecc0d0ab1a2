using System.Globalization;
using AnnotateDpo.Core.Statistics;

namespace AnnotateDpo.Web.Features.Coverage;

/// <summary>How the dashboard writes its numbers: in the reader's culture (the CSV export stays invariant).</summary>
public static class CoverageFormat
{
    public static string Value(double? value) => value?.ToString("F3", CultureInfo.CurrentCulture) ?? "—";

    public static string Percent(double? share) => share?.ToString("0.0%", CultureInfo.CurrentCulture) ?? "—";

    public static string Interval(Interval? interval) => interval is { } ci
        ? $"{ci.Low.ToString("F3", CultureInfo.CurrentCulture)}–{ci.High.ToString("F3", CultureInfo.CurrentCulture)}"
        : "—";

    public static string PercentInterval(Interval interval) => $"{Percent(interval.Low)}–{Percent(interval.High)}";

    public static string Seconds(double? seconds) => seconds?.ToString("0.0 s", CultureInfo.CurrentCulture) ?? "—";

    public static string Area(AdviceArea area) => area switch
    {
        AdviceArea.Sft => "SFT",
        AdviceArea.Pairs => "Pairs",
        AdviceArea.Annotators => "Annotators",
        AdviceArea.Bias => "Bias",
        _ => "Curation",
    };

    /// <summary>Section anchors of the dashboard.</summary>
    public const string CoverageAnchor = "coverage", AgreementAnchor = "agreement", BiasAnchor = "bias", AdviceAnchor = "advice";

    /// <summary>The anchor of a category's row in the coverage table: "category-" and the name, spaces as dashes.</summary>
    public static string CategoryAnchor(string? name) => "category-" + (name is null ? "-none" : string.Join('-', name.Split(' ', StringSplitOptions.RemoveEmptyEntries)));

    /// <summary>The printable one-page report's address, relative to the base.</summary>
    public static string ReportLink(string workspace) => $"coverage/{Uri.EscapeDataString(workspace)}/report";

    /// <summary>The CSV export's file name: the workspace's name with what a file name cannot hold replaced.</summary>
    public static string CsvFileName(string workspace) =>
        "coverage-" + string.Concat(workspace.Select(c => Path.GetInvalidFileNameChars().Contains(c) || char.IsWhiteSpace(c) ? '-' : c)) + ".csv";

    /// <summary>The dashboard's own address with a fragment, written relative to the base so it works under any path base.</summary>
    public static string Link(string workspace, string anchor) => $"coverage/{Uri.EscapeDataString(workspace)}#{anchor}";

    public static MudBlazor.Color LevelColor(ReadinessLevel level) => level switch
    {
        ReadinessLevel.Green => MudBlazor.Color.Success,
        ReadinessLevel.Amber => MudBlazor.Color.Warning,
        _ => MudBlazor.Color.Error,
    };
}
