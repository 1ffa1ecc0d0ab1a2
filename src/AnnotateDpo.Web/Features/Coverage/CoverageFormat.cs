using System.Globalization;
using AnnotateDpo.Core.Statistics;

namespace AnnotateDpo.Web.Features.Coverage;

/// <summary>How the dashboard writes its numbers: invariant culture, so the figures read the same in every browser.</summary>
public static class CoverageFormat
{
    public static string Value(double? value) => value?.ToString("F3", CultureInfo.InvariantCulture) ?? "—";

    public static string Percent(double? share) => share?.ToString("0.0%", CultureInfo.InvariantCulture) ?? "—";

    public static string Interval(Interval? interval) => interval is { } ci
        ? $"{ci.Low.ToString("F3", CultureInfo.InvariantCulture)}–{ci.High.ToString("F3", CultureInfo.InvariantCulture)}"
        : "—";

    public static string PercentInterval(Interval interval) => $"{Percent(interval.Low)}–{Percent(interval.High)}";

    public static string Seconds(double? seconds) => seconds?.ToString("0.0 s", CultureInfo.InvariantCulture) ?? "—";

    public static string Area(AdviceArea area) => area switch
    {
        AdviceArea.Sft => "SFT",
        AdviceArea.Pairs => "Pairs",
        AdviceArea.Annotators => "Annotators",
        AdviceArea.Bias => "Bias",
        _ => "Curation",
    };

    public static MudBlazor.Color LevelColor(ReadinessLevel level) => level switch
    {
        ReadinessLevel.Green => MudBlazor.Color.Success,
        ReadinessLevel.Amber => MudBlazor.Color.Warning,
        _ => MudBlazor.Color.Error,
    };
}
