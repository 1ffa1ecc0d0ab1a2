using System.CommandLine;

namespace AnnotateDpo.Cli.Commands;

/// <summary>The whole command tree, built in one place for the executable and for in-process tests.</summary>
internal static class CliRoot
{
    public static RootCommand Create()
    {
        var root = new RootCommand("AnnotateDpo: curate SFT examples and preference pairs, and train small language models on them.");
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(SnapshotCommand.Create());
        root.Subcommands.Add(StatsCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(AblationCommand.Create());
        root.Subcommands.Add(RunsCommand.Create());
        root.Subcommands.Add(PretrainCommand.Create());
        root.Subcommands.Add(ModelCommand.Create());
        root.Subcommands.Add(ScoreCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(UsersCommand.Create());
        root.Subcommands.Add(CandidatesCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }
}
