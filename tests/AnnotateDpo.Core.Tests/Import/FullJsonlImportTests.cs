using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Import;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Tests.Import;

public class FullJsonlImportTests
{
    [Fact]
    public async Task ImportAsync_FullFile_AppliesWorkspaceAndKeepsEveryField()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var file = db.WriteFile("press.annotatedpo.jsonl", FullFormatSamples.Canonical);

        var result = await db.ImportAsync(FullFormatSamples.Workspace, null, file);

        Assert.Equal((3, 3, 7, 2), (result.SftExamplesAdded, result.PairsAdded, result.JudgmentsAdded, result.CategoriesAdded));
        await using var context = db.CreateDbContext();
        var workspace = await context.Workspaces.Include(w => w.Categories).SingleAsync();
        Assert.Equal(("ja", 3, "# 指針\nTwo lines, \"quoted\"."), (workspace.Language, workspace.OverlapTarget, workspace.Guidelines));
        var hydraulics = workspace.Categories.Single(c => c.Name == "hydraulics");
        Assert.Equal(("油圧系", 30, 40), (hydraulics.Description, hydraulics.SftTarget, hydraulics.PairTarget));

        var rejected = await context.SftExamples.SingleAsync(e => e.Key == "sft-0002");
        Assert.Equal((SftStatus.Rejected, "suzuki", "Too vague; name the valve.", (long?)null), (rejected.Status, rejected.AuthorId, rejected.ReviewComment, rejected.CategoryId));
        var approved = await context.SftExamples.SingleAsync(e => e.Key == "sft-0001");
        Assert.Equal(new DateTime(2026, 10, 2, 10, 30, 0, 250, DateTimeKind.Utc), approved.UpdatedAt);

        var pair = await context.PreferencePairs.Include(p => p.Judgments).SingleAsync(p => p.Key == "pair-0001");
        Assert.Equal((ResponseOrigin.Model, "SmolLM2-135M-Instruct", "run-3"), (pair.ResponseB.Origin, pair.ResponseB.Model, pair.ResponseB.Run));
        var byKey = pair.Judgments.ToDictionary(j => j.Key);
        Assert.Equal(byKey["j-1"].Id, byKey["j-3"].SupersedesId);
        Assert.Null(byKey["j-1"].SupersedesId);
        Assert.Null(byKey["j-2"].SupersedesId);
        Assert.Equal((Verdict.B, VerdictStrength.Slight, ShownOrder.BA, 12.0), (byKey["j-1"].Verdict, byKey["j-1"].Strength, byKey["j-1"].ShownOrder, byKey["j-1"].SecondsSpent));
        var edited = await context.PreferencePairs.Include(p => p.Judgments).SingleAsync(p => p.Key == "pair-0002");
        Assert.Equal((ResponseOrigin.Edited, "pair-0001"), (edited.ResponseA.Origin, edited.ResponseA.EditedFromPairKey));
        Assert.True(edited.Judgments.Single(j => j.Key == "final").IsFinal);
    }

    [Fact]
    public async Task ImportAsync_JudgmentsOutOfTimeOrder_SupersedesAndIdsFollowCreatedAt()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var pair = FullFormatSamples.PairLine.Replace(
            "\"judgments\":[",
            "\"judgments\":[" + """{"id":"late","annotatorId":"a","verdict":"b","strength":"clear","createdAt":"2026-10-05T00:00:00Z"},""");
        var file = db.WriteFile("order.annotatedpo.jsonl", FullFormatSamples.Header + "\n" + pair + "\n");

        await db.ImportAsync("w", null, file);

        await using var context = db.CreateDbContext();
        var judgments = await context.Judgments.OrderBy(j => j.Id).ToListAsync();
        Assert.Equal(["j-1", "late"], judgments.Select(j => j.Key));
        Assert.Equal(judgments[0].Id, judgments[1].SupersedesId);
    }

    [Fact]
    public async Task ImportAsync_IntoExistingWorkspace_AddsOnlyMissingCategories()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        await db.ImportAsync("w", new ImportOptions { Language = "de" }, db.WriteFile("first.csv", "prompt,response,category\nQ0,A0,hydraulics\n"));
        var file = db.WriteFile("more.annotatedpo.jsonl", FullFormatSamples.Header.Replace("]}", """,{"name":"new","description":"d","sftTarget":7,"pairTarget":8}]}""") + "\n" + FullFormatSamples.SftLine + "\n");

        var result = await db.ImportAsync("w", null, file);

        Assert.Equal((false, 1, 1), (result.WorkspaceCreated, result.CategoriesAdded, result.SftExamplesAdded));
        await using var context = db.CreateDbContext();
        var workspace = await context.Workspaces.Include(w => w.Categories).SingleAsync();
        Assert.Equal("de", workspace.Language);
        Assert.Equal(
            [("hydraulics", Workspace.DefaultSftTarget, Workspace.DefaultSftTarget), ("new", 7, 8)],
            workspace.Categories.OrderBy(c => c.Name).Select(c => (c.Name, c.SftTarget, c.PairTarget)));
    }

    [Fact]
    public async Task ImportAsync_SameFileTwice_SecondImportSkipsEverything()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var file = db.WriteFile("press.annotatedpo.jsonl", FullFormatSamples.Canonical);
        await db.ImportAsync(FullFormatSamples.Workspace, null, file);
        var before = await db.CountsAsync();

        var again = await db.ImportAsync(FullFormatSamples.Workspace, null, file);

        Assert.Equal(6, again.SkippedDuplicates.Count);
        Assert.Equal(["sft-0001", "sft-0002", "sft-0003", "pair-0001", "pair-0002", "pair-0003"], again.SkippedDuplicates.Select(s => s.DuplicateOfKey));
        Assert.Equal(before, await db.CountsAsync());
    }

    [Fact]
    public async Task ImportAsync_SeedDataFiles_ImportWithoutErrors()
    {
        var folder = Path.Combine(Storage.AppPaths.SeedDataFolder, "workspaces");
        var files = Directory.GetFiles(folder, "*.annotatedpo.jsonl");
        await using var db = await TestDatabase.CreateSqliteAsync();
        Assert.NotEmpty(files);

        foreach (var file in files)
        {
            var result = await db.ImportAsync(Path.GetFileName(file), null, file);

            Assert.True(result.SftExamplesAdded + result.PairsAdded > 0, file);
        }
    }
}
