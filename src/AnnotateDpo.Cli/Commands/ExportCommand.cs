using System.CommandLine;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Export;
using AnnotateDpo.Core.Snapshots;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Cli.Commands;

internal enum ExportFormat { Trl, Csv, Full }

internal static class ExportCommand
{
    public static Command Create()
    {
        var db = CliSupport.DatabaseOption();
        var workspace = CliSupport.WorkspaceOption();
        var format = new Option<ExportFormat>("--format") { Description = "trl (a snapshot as TRL-ready JSONL), csv, or full (every field).", Required = true };
        var output = new Option<string>("--out") { Description = "Folder (trl, csv) or file (full) to write.", Required = true };
        var snapshot = new Option<long?>("--snapshot") { Description = "Snapshot id for --format trl (default: a new snapshot of the workspace)." };
        var command = new Command("export", "Export a workspace, or a snapshot in the Hugging Face TRL shapes.")
        {
            db, workspace, format, output, snapshot,
        };
        command.SetAction((parse, ct) => CliSupport.RunAsync(async () =>
        {
            var factory = await CliSupport.OpenDatabaseAsync(parse.GetValue(db)!, ct);
            var exporter = new ExportService(factory);
            var workspaceName = parse.GetValue(workspace)!;
            var outPath = parse.GetValue(output)!;
            switch (parse.GetValue(format))
            {
                case ExportFormat.Full:
                    await exporter.ExportFullAsync(workspaceName, outPath, ct);
                    break;
                case ExportFormat.Csv:
                    await exporter.ExportCsvAsync(workspaceName, outPath, ct);
                    break;
                case ExportFormat.Trl:
                    var snapshotId = parse.GetValue(snapshot) is { } given
                        ? await RequireSnapshotOfAsync(factory, workspaceName, given, ct)
                        : (await new SnapshotService(factory, TimeProvider.System).CreateAsync(new SnapshotRequest(workspaceName), ct)).Snapshot.Id;
                    await exporter.ExportSnapshotAsync(snapshotId, outPath, ct);
                    Console.WriteLine($"snapshot {snapshotId}");
                    break;
            }
            Console.WriteLine($"wrote {Path.GetFullPath(outPath)}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static async Task<long> RequireSnapshotOfAsync(AnnotateDbContextFactory factory, string workspaceName, long snapshotId, CancellationToken ct)
    {
        await using var db = factory.CreateDbContext();
        var workspace = await WorkspaceLookup.GetAsync(db, workspaceName, ct);
        return await db.Snapshots.AnyAsync(s => s.Id == snapshotId && s.WorkspaceId == workspace.Id, ct)
            ? snapshotId
            : throw new KeyNotFoundException($"--snapshot: snapshot {snapshotId} is not a snapshot of workspace '{workspaceName}'.");
    }
}
