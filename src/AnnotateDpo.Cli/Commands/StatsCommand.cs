using System.CommandLine;
using System.Text.Json;
using AnnotateDpo.Core.Statistics;

namespace AnnotateDpo.Cli.Commands;

internal static class StatsCommand
{
    public static Command Create()
    {
        var db = CliSupport.DatabaseOption();
        var workspace = CliSupport.WorkspaceOption();
        var json = new Option<bool>("--json") { Description = "Print the numbers as JSON." };
        var command = new Command("stats", "Counts per category against targets, pairs resolved and unresolved, tie and both-bad rates.")
        {
            db, workspace, json,
        };
        command.SetAction((parse, ct) => CliSupport.RunAsync(async () =>
        {
            var factory = await CliSupport.OpenDatabaseAsync(parse.GetValue(db)!, ct);
            var stats = await new WorkspaceStatsService(factory).GetAsync(parse.GetValue(workspace)!, ct);
            using var tokenizer = CliSupport.DemoTokenizer();
            var quality = await new QualityReportService(factory, CliSupport.CountingWith(tokenizer)).GetAsync(parse.GetValue(workspace)!, ct);
            Console.WriteLine(parse.GetValue(json)
                ? JsonSerializer.Serialize(new { counts = stats, quality }, CliSupport.Json)
                : Render(stats) + Environment.NewLine + Render(quality));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Render(WorkspaceStats stats)
    {
        var lines = new List<string>
        {
            $"workspace {stats.Workspace}",
            $"{"category",-28} {"sft approved/target",20} {"submitted",9} {"draft",6} {"pairs resolved/target",22} {"unresolved",10}",
        };
        foreach (var c in stats.Categories)
        {
            lines.Add($"{c.Name ?? "(none)",-28} {$"{c.Sft.Approved}/{c.SftTarget}",20} {c.Sft.Submitted,9} {c.Sft.Draft,6} " +
                      $"{$"{c.Pairs.Resolved}/{c.PairTarget}",22} {c.Pairs.Total - c.Pairs.Resolved,10}");
        }
        lines.Add($"SFT examples: {stats.Sft.Total} ({stats.Sft.Approved} approved, {stats.Sft.Submitted} submitted, {stats.Sft.Draft} draft, {stats.Sft.Rejected} rejected)");
        lines.Add($"pairs: {stats.Pairs.Total} ({stats.Pairs.Resolved} resolved; {stats.Pairs.Ties} ties, {stats.Pairs.BothBad} both bad, " +
                  $"{stats.Pairs.Disagreements} disagreements, {stats.Pairs.Unjudged} unjudged)");
        lines.Add($"latest judgments: {stats.LatestJudgments}; tie rate {stats.TieRate:P1}, both-bad rate {stats.BothBadRate:P1}");
        return string.Join(Environment.NewLine, lines);
    }

    private static string Render(QualityReport quality)
    {
        static string Estimate(AgreementEstimate e) => e.Value is { } value
            ? $"{value:F3} over {e.Items} items" + (e.Interval95 is { } ci ? $" (95% CI {ci.Low:F3}–{ci.High:F3})" : "")
            : $"undefined ({e.Items} items)";
        var agreement = quality.Agreement;
        var lines = new List<string>
        {
            $"agreement among {agreement.Annotators} annotators (latest verdicts; ties a class of their own, {agreement.ExcludedBothBad} both-bad left out):",
            $"  raw agreement      {Estimate(agreement.PercentAgreement)}",
            $"  Krippendorff's α   {Estimate(agreement.KrippendorffAlpha)}",
        };
        lines.AddRange(agreement.CohensKappa.Select(k => $"  Cohen's κ {k.First}–{k.Second}: {Estimate(k.Kappa)}"));
        var position = quality.Position;
        lines.Add($"position: {position.LeftShare:P1} of {position.Verdicts} A/B verdicts for the left response " +
                  $"(95% CI {position.Interval.Low:P1}–{position.Interval.High:P1}){(position.Flagged ? " — biased" : "")}");
        lines.Add($"length: the chosen response is the longer one in {quality.Length.LongerChosenShare:P1} of {quality.Length.Pairs} resolved pairs; " +
                  $"mean difference {quality.Length.MeanLengthDifference:+0;-0;0} characters" +
                  (quality.Length.MeanTokenDifference is { } tokens ? $", {tokens:+0.0;-0.0;0} tokens" : ""));
        lines.Add($"near-identical pairs: {quality.NearIdenticalPairs} of {quality.Pairs}");
        return string.Join(Environment.NewLine, lines);
    }
}
