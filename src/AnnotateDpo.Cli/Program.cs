using System.CommandLine;
using AnnotateDpo.Cli.Commands;

var root = new RootCommand("AnnotateDpo: curate SFT examples and preference pairs, and train small language models on them.");
root.Subcommands.Add(ImportCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(SnapshotCommand.Create());
root.Subcommands.Add(StatsCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
return await root.Parse(args).InvokeAsync();
