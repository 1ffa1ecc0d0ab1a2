using System.Text.Json;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Export;

namespace AnnotateDpo.Core.Tests.Export;

public class SnapshotExportTests
{
    private static async Task<long> AddSnapshotAsync(TestDatabase db)
    {
        await using var context = db.CreateDbContext();
        var workspace = new Workspace { Name = "press", CreatedAt = DateTime.UtcNow };
        context.Workspaces.Add(workspace);
        await context.SaveChangesAsync();
        var snapshot = new DatasetSnapshot
        {
            WorkspaceId = workspace.Id, ContentHash = new string('a', 64), EvalFraction = 0.25, Seed = 7,
            CreatedAt = new DateTime(2026, 11, 2, 8, 0, 0, DateTimeKind.Utc), CreatedBy = "manager",
            ExcludedTies = 1, ExcludedBothBad = 2, ExcludedDisagreements = 3, ExcludedUnjudged = 4,
            SftItems =
            [
                new() { Ordinal = 0, Split = DatasetSplit.Train, SourceKey = "sft-1", Category = "hydraulics", Messages = [new("system", "保全"), new("user", "油漏れ？"), new("assistant", "シール確認。")] },
                new() { Ordinal = 1, Split = DatasetSplit.Train, SourceKey = "sft-2", Category = null, Messages = [new("user", "Q2"), new("assistant", "A2")] },
                new() { Ordinal = 2, Split = DatasetSplit.Eval, SourceKey = "sft-3", Category = "hydraulics", Messages = [new("user", "Q3"), new("assistant", "A3")] },
            ],
            PairItems =
            [
                new() { Ordinal = 0, Split = DatasetSplit.Train, SourceKey = "pair-1", Category = "safety|ops", Prompt = [new("user", "Lockout?")], Chosen = "Always.", Rejected = "Never." },
                new() { Ordinal = 1, Split = DatasetSplit.Eval, SourceKey = "pair-2", Category = "safety|ops", Prompt = [new("user", "P2")], Chosen = "c2", Rejected = "r2" },
            ],
        };
        context.Snapshots.Add(snapshot);
        await context.SaveChangesAsync();
        return snapshot.Id;
    }

    [Fact]
    public async Task ExportSnapshotAsync_Snapshot_WritesTrlFilesBySplit()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var id = await AddSnapshotAsync(db);
        var folder = Path.Combine(db.Folder, "trl");

        var result = await new ExportService(db.Factory).ExportSnapshotAsync(id, folder);

        Assert.Equal((2, 1, 1, 1), (result.SftTrain, result.SftEval, result.PreferenceTrain, result.PreferenceEval));
        Assert.Equal(SnapshotFiles.All.Order(), Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        Assert.Equal(
            [
                """{"messages":[{"role":"system","content":"保全"},{"role":"user","content":"油漏れ？"},{"role":"assistant","content":"シール確認。"}]}""",
                """{"messages":[{"role":"user","content":"Q2"},{"role":"assistant","content":"A2"}]}""",
            ],
            await File.ReadAllLinesAsync(Path.Combine(folder, "sft_train.jsonl")));
        Assert.Equal(
            ["""{"messages":[{"role":"user","content":"Q3"},{"role":"assistant","content":"A3"}]}"""],
            await File.ReadAllLinesAsync(Path.Combine(folder, "sft_eval.jsonl")));
        Assert.Equal(
            ["""{"prompt":[{"role":"user","content":"Lockout?"}],"chosen":[{"role":"assistant","content":"Always."}],"rejected":[{"role":"assistant","content":"Never."}]}"""],
            await File.ReadAllLinesAsync(Path.Combine(folder, "preference_train.jsonl")));
        var eval = JsonDocument.Parse(Assert.Single(await File.ReadAllLinesAsync(Path.Combine(folder, "preference_eval.jsonl")))).RootElement;
        Assert.Equal("c2", eval.GetProperty("chosen")[0].GetProperty("content").GetString());
    }

    [Fact]
    public async Task ExportSnapshotAsync_Snapshot_DatasetCardHasCountsHashAndLoadSnippet()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var id = await AddSnapshotAsync(db);
        var folder = Path.Combine(db.Folder, "trl");

        await new ExportService(db.Factory).ExportSnapshotAsync(id, folder);

        var card = await File.ReadAllTextAsync(Path.Combine(folder, SnapshotFiles.DatasetCard));
        Assert.Contains($"dataset snapshot {id}", card);
        Assert.Contains($"- Snapshot id: {id}", card);
        Assert.Contains("`" + new string('a', 64) + "`", card);
        Assert.Contains("| hydraulics | 1 | 1 | 2 |", card);
        Assert.Contains("| (none) | 1 | 0 | 1 |", card);
        Assert.Contains("| safety\\|ops | 1 | 1 | 2 |", card);
        Assert.Contains("| **Total** | 2 | 1 | 3 |", card);
        Assert.Contains("- Ties: 1", card);
        Assert.Contains("- Unjudged: 4", card);
        Assert.Contains("load_dataset(\"json\", data_files={\"train\": \"preference_train.jsonl\", \"test\": \"preference_eval.jsonl\"})", card);
    }

    [Fact]
    public async Task ExportSnapshotAsync_UnknownSnapshot_ThrowsAndWritesNothing()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var folder = Path.Combine(db.Folder, "trl");

        await Assert.ThrowsAsync<KeyNotFoundException>(() => new ExportService(db.Factory).ExportSnapshotAsync(404, folder));

        Assert.False(Directory.Exists(folder));
    }
}
