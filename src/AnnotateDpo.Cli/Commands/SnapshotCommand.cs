using System.CommandLine;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Evaluation;
using AnnotateDpo.Core.Snapshots;

namespace AnnotateDpo.Cli.Commands;

internal static class SnapshotCommand
{
    public static Command Create()
    {
        var db = CliSupport.DatabaseOption();
        var workspace = CliSupport.WorkspaceOption();
        var evalFraction = new Option<double>("--eval-fraction") { Description = "Share of items held out for evaluation.", DefaultValueFactory = _ => 0.1 };
        var seed = new Option<int>("--seed") { Description = "Seed of the train/eval split.", DefaultValueFactory = _ => 42 };
        var command = new Command("snapshot", "Freeze the approved SFT examples and resolved pairs into an immutable snapshot; prints its id and hash.")
        {
            db, workspace, evalFraction, seed,
        };
        command.SetAction((parse, ct) => CliSupport.RunAsync(async () =>
        {
            var factory = await CliSupport.OpenDatabaseAsync(parse.GetValue(db)!, ct);
            var service = new SnapshotService(factory, TimeProvider.System);
            var result = await service.CreateAsync(
                new SnapshotRequest(parse.GetValue(workspace)!, parse.GetValue(evalFraction), parse.GetValue(seed)), ct);
            var s = result.Snapshot;
            Console.WriteLine($"snapshot {s.Id} {s.ContentHash}{(result.Created ? "" : " (unchanged: an identical snapshot exists)")}");
            Console.WriteLine($"  sft: {s.SftItems.Count(i => i.Split == DatasetSplit.Train)} train, {s.SftItems.Count(i => i.Split == DatasetSplit.Eval)} eval");
            Console.WriteLine($"  pairs: {s.PairItems.Count(i => i.Split == DatasetSplit.Train)} train, {s.PairItems.Count(i => i.Split == DatasetSplit.Eval)} eval");
            var origins = PairOriginCounts.Of(s.PairItems);
            Console.WriteLine($"  pairs by origin: {origins.Human} human-written, {origins.Model} on-policy (both answers a model's), {origins.Mixed} mixed");
            Console.WriteLine($"  excluded pairs: {s.ExcludedTies} ties, {s.ExcludedBothBad} both bad, {s.ExcludedDisagreements} disagreements, {s.ExcludedUnjudged} unjudged");
            return ExitCodes.Success;
        }));
        return command;
    }
}
