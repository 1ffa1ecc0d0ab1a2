using System.CommandLine;
using AnnotateDpo.Cli.Commands;

var root = new RootCommand("AnnotateDpo: curate SFT examples and preference pairs, and train small language models on them.");
root.Subcommands.Add(ImportCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(SnapshotCommand.Create());
root.Subcommands.Add(StatsCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(PretrainCommand.Create());
root.Subcommands.Add(ModelCommand.Create());
root.Subcommands.Add(ScoreCommand.Create());
root.Subcommands.Add(GenerateCommand.Create());
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // A mistyped option is invalid input like a bad row: exit 2, naming the setting.
    foreach (var error in parsed.Errors)
        await Console.Error.WriteLineAsync($"error: {error.Message}");
    return ExitCodes.InvalidInput;
}
return await parsed.InvokeAsync();
