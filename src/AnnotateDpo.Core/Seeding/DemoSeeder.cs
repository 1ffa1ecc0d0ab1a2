using System.Text.Json;
using AnnotateDpo.Core.Import;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AnnotateDpo.Core.Seeding;

/// <summary>Loads the demo workspaces (full-fidelity files in seed-data/workspaces) into an empty database.</summary>
public sealed class DemoSeeder(IDbContextFactory<AnnotateDbContext> dbFactory, ImportService importer, ILogger<DemoSeeder> logger)
{
    public const string FilePattern = "*.annotatedpo.jsonl";

    /// <returns>The number of workspaces seeded; 0 when the database already had one.</returns>
    public async Task<int> SeedIfEmptyAsync(string folder, CancellationToken cancellationToken = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Workspaces.AnyAsync(cancellationToken)) return 0;
        }
        if (!Directory.Exists(folder))
        {
            logger.LogWarning("No demo data: the folder {Folder} does not exist", folder);
            return 0;
        }

        var files = Directory.GetFiles(folder, FilePattern).Order(StringComparer.Ordinal).ToList();
        foreach (var file in files)
        {
            var result = await importer.ImportAsync(await ReadWorkspaceNameAsync(file, cancellationToken), [file], new ImportOptions(), cancellationToken);
            logger.LogInformation("Seeded {File}: {Sft} SFT examples, {Pairs} pairs, {Judgments} judgments",
                Path.GetFileName(file), result.SftExamplesAdded, result.PairsAdded, result.JudgmentsAdded);
        }
        return files.Count;
    }

    /// <summary>A full-fidelity file names its workspace on its first line.</summary>
    private static async Task<string> ReadWorkspaceNameAsync(string file, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(file);
        var firstLine = await reader.ReadLineAsync(cancellationToken)
            ?? throw new InvalidDataException($"{file}: line 1: the file is empty.");
        using var json = JsonDocument.Parse(firstLine);
        return json.RootElement.TryGetProperty("name", out var name) && name.GetString() is { Length: > 0 } value
            ? value
            : throw new InvalidDataException($"{file}: line 1: name: a workspace line with a name is expected first.");
    }
}
