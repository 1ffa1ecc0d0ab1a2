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
            Console.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(stats, CliSupport.Json) : Render(stats));
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
}
