using System.Globalization;
using System.Text;
using AnnotateDpo.Core.Statistics;
using CsvHelper;

namespace AnnotateDpo.Web.Features.Coverage;

/// <summary>
/// Everything the dashboard shows as one long CSV table (section, subject, measure, value, items, 95% interval), in
/// invariant culture so that a spreadsheet in any language reads the same numbers as <c>annotatedpo stats --json</c>.
/// </summary>
public static class CoverageCsv
{
    public static readonly string[] Header = ["section", "subject", "measure", "value", "items", "ci_low", "ci_high"];

    public static string Write(CoverageReport report) => Encoding.UTF8.GetString(WriteUtf8(report));

    private static byte[] WriteUtf8(CoverageReport report)
    {
        using var bytes = new MemoryStream();
        using (var csv = CsvWriter.Create(bytes, CsvWriterOptions.Default with { NewLine = "\n" }, leaveOpen: true))
            Write(csv, report);
        return bytes.ToArray();
    }

    private static void Write(CsvWriter csv, CoverageReport report)
    {
        void Row(string section, string? subject, string measure, object? value, int? items = null, Interval? interval = null)
        {
            foreach (var field in new[] { section, subject ?? "", measure, Format(value), Format(items), Format(interval?.Low), Format(interval?.High) })
                csv.WriteField(field);
            csv.EndRecord();
        }
        void Estimate(string section, string subject, string measure, AgreementEstimate estimate) =>
            Row(section, subject, measure, estimate.Value, estimate.Items, estimate.Interval95);

        foreach (var field in Header) csv.WriteField(field);
        csv.EndRecord();
        foreach (var check in report.Readiness) Row("readiness", check.Name, check.Level.ToString(), check.Detail);
        foreach (var (advice, rank) in report.Advice.Select((a, i) => (a, i + 1))) Row("advice", advice.Area.ToString(), $"rank {rank}", advice.Text);

        var stats = report.Stats;
        Row("coverage", "(workspace)", "sft_approved", stats.Sft.Approved);
        Row("coverage", "(workspace)", "sft_guideline_minimum", report.Options.MinimumApprovedSft);
        Row("coverage", "(workspace)", "pairs_resolved", stats.Pairs.Resolved);
        Row("coverage", "(workspace)", "pairs_total", stats.Pairs.Total);
        foreach (var c in report.Categories)
        {
            var name = c.Name ?? "(none)";
            Row("coverage", name, "sft_approved", c.Sft.Approved);
            Row("coverage", name, "sft_submitted", c.Sft.Submitted);
            Row("coverage", name, "sft_draft", c.Sft.Draft);
            Row("coverage", name, "sft_target", c.SftTarget);
            Row("coverage", name, "pairs_resolved", c.Pairs.Resolved);
            Row("coverage", name, "pairs_total", c.Pairs.Total);
            Row("coverage", name, "pairs_target", c.PairTarget);
            foreach (var (measure, origins) in new[] { ("pairs", c.Origins), ("resolved", c.ResolvedOrigins) })
            {
                if (origins is null) continue;
                Row("origin", name, $"{measure}_on_policy", origins.Model);
                Row("origin", name, $"{measure}_human_written", origins.Human);
                Row("origin", name, $"{measure}_mixed", origins.Mixed);
            }
        }
        foreach (var t in stats.Tags ?? []) Row("tags", $"{t.Category ?? "(none)"} / {t.Tag}", "sft_pairs", $"{t.Sft} / {t.Pairs}");

        var agreement = report.Quality.Agreement;
        Estimate("agreement", "(all)", "raw_agreement", agreement.PercentAgreement);
        Estimate("agreement", "(all)", "krippendorff_alpha", agreement.KrippendorffAlpha);
        Row("agreement", "(all)", "both_bad_excluded", agreement.ExcludedBothBad);
        var swap = report.Annotators.PositionSwap ?? PositionSwapConsistency.None;
        Row("agreement", "(all)", "position_swap_consistency", swap.Share, swap.Repeats);
        foreach (var pair in report.Annotators.Pairs)
        {
            var subject = $"{pair.First} – {pair.Second}";
            Estimate("agreement", subject, "raw_agreement", pair.PercentAgreement);
            Estimate("agreement", subject, "krippendorff_alpha", pair.KrippendorffAlpha);
            Estimate("agreement", subject, "cohens_kappa", pair.CohensKappa);
        }
        foreach (var a in report.Annotators.Annotators)
        {
            Row("agreement", a.Annotator, "agrees_with_majority", a.MajorityAgreement, a.MajorityItems);
            Row("agreement", a.Annotator, "tie_share", a.TieShare, a.Verdicts);
            Row("agreement", a.Annotator, "both_bad_share", a.BothBadShare, a.Verdicts);
        }

        var quality = report.Quality;
        Row("bias", "(all)", "left_share", quality.Position.LeftShare, quality.Position.Verdicts, quality.Position.Interval);
        Row("bias", "(all)", "longer_chosen_share", quality.Length.LongerChosenShare, quality.Length.Pairs);
        Row("bias", "(all)", "mean_length_difference_characters", quality.Length.MeanLengthDifference, quality.Length.Pairs);
        Row("bias", "(all)", "mean_length_difference_tokens", quality.Length.MeanTokenDifference, quality.Length.Pairs);
        Row("bias", "(all)", "near_identical_pairs", quality.NearIdenticalPairs, quality.Pairs);
        foreach (var a in report.Annotators.Annotators)
            Row("bias", a.Annotator, "left_share", a.Position.LeftShare, a.Position.Verdicts, a.Position.Interval);

        Row("progress", "(all)", "median_seconds", report.Progress.MedianSeconds);
        foreach (var a in report.Progress.Annotators) Row("progress", a.Annotator, "median_seconds", a.MedianSeconds, a.Judgments);
        foreach (var d in report.Progress.PerDay)
            Row("progress", d.Annotator, $"judgments {d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", d.Count);
    }

    /// <summary>The CSV as a link target the browser downloads, so no endpoint is needed.</summary>
    public static string DataUri(CoverageReport report) =>
        "data:text/csv;charset=utf-8;base64," + Convert.ToBase64String(WriteUtf8(report));

    private static string Format(object? value) => value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
