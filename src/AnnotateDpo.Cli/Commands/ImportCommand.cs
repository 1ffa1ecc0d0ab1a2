using System.CommandLine;
using AnnotateDpo.Core.Import;

namespace AnnotateDpo.Cli.Commands;

internal static class ImportCommand
{
    public static Command Create()
    {
        var db = CliSupport.DatabaseOption();
        var workspace = CliSupport.WorkspaceOption();
        var kind = new Option<ImportKind?>("--kind") { Description = "sft or pairs, for files whose shape fits both." };
        var allowDuplicates = new Option<bool>("--allow-duplicates") { Description = "Keep rows whose content already exists." };
        var asDraft = new Option<bool>("--as-draft") { Description = "Import uncurated: SFT examples as drafts, pairs unjudged." };
        var language = new Option<string?>("--language") { Description = "Language of a workspace the import creates (ja, en)." };
        var files = new Argument<string[]>("files") { Description = "JSONL or CSV files.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("import", "Import SFT examples and preference pairs; all or nothing, every bad row reported.")
        {
            db, workspace, kind, allowDuplicates, asDraft, language, files,
        };
        command.SetAction((parse, ct) => CliSupport.RunAsync(async () =>
        {
            var factory = await CliSupport.OpenDatabaseAsync(parse.GetValue(db)!, ct);
            var options = new ImportOptions
            {
                Kind = parse.GetValue(kind),
                AllowDuplicates = parse.GetValue(allowDuplicates),
                AsDraft = parse.GetValue(asDraft),
                Language = parse.GetValue(language),
            };
            try
            {
                var result = await new ImportService(factory, TimeProvider.System)
                    .ImportAsync(parse.GetValue(workspace)!, parse.GetValue(files)!, options, ct);
                Console.WriteLine($"imported {result.SftExamplesAdded} SFT examples, {result.PairsAdded} pairs, {result.JudgmentsAdded} judgments" +
                                  (result.WorkspaceCreated ? $" into the new workspace '{parse.GetValue(workspace)}'" : ""));
                foreach (var duplicate in result.SkippedDuplicates)
                    Console.WriteLine($"skipped duplicate: {duplicate.File}: line {duplicate.Line}: repeats {duplicate.DuplicateOfKey}");
                return ExitCodes.Success;
            }
            catch (ImportValidationException ex)
            {
                await Console.Error.WriteLineAsync($"error: nothing was imported: {ex.Errors.Count} problem(s) found.");
                foreach (var error in ex.Errors)
                    await Console.Error.WriteLineAsync(error.ToString());
                return ExitCodes.InvalidInput;
            }
        }));
        return command;
    }
}
