using AnnotateDpo.Core.Import;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Tests.Import;

public class DuplicateImportTests
{
    [Fact]
    public async Task ImportAsync_ExactAndNormalisedDuplicatesInFile_SkippedAndReported()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var file = db.WriteFile("dups.jsonl", """
            {"prompt":"Pump noise?","completion":"Check cavitation."}
            {"prompt":"Pump noise?","completion":"Check cavitation."}
            {"prompt":"  Pump　noise？ ","completion":"Check  cavitation.\r\n"}
            {"prompt":"Ｑ","chosen":"good","rejected":"bad"}
            {"prompt":"Q","chosen":"bad","rejected":"good"}
            """);

        var result = await db.ImportAsync("w", null, file);

        await using var context = db.CreateDbContext();
        var sftKey = (await context.SftExamples.SingleAsync()).Key;
        var pairKey = (await context.PreferencePairs.SingleAsync()).Key;
        Assert.Equal((1, 1), (result.SftExamplesAdded, result.PairsAdded));
        Assert.Equal(
            [new SkippedDuplicate("dups.jsonl", 2, sftKey), new SkippedDuplicate("dups.jsonl", 3, sftKey), new SkippedDuplicate("dups.jsonl", 5, pairKey)],
            result.SkippedDuplicates);
    }

    [Fact]
    public async Task ImportAsync_DuplicateOfExistingRow_SkippedWithExistingKey()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        await db.ImportAsync("w", null, db.WriteFile("first.csv", "id,prompt,response\nmine,Q,A\n"));
        var before = await db.CountsAsync();

        var result = await db.ImportAsync("w", null, db.WriteFile("second.jsonl", """{"prompt":"Q ","completion":" A"}"""));

        Assert.Equal(new SkippedDuplicate("second.jsonl", 1, "mine"), Assert.Single(result.SkippedDuplicates));
        Assert.Equal(before, await db.CountsAsync());
    }

    [Fact]
    public async Task ImportAsync_AllowDuplicates_KeepsThemUnderDistinctKeys()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        await db.ImportAsync("w", null, db.WriteFile("first.jsonl", """{"prompt":"Q","completion":"A"}"""));
        var file = db.WriteFile("again.jsonl", """
            {"prompt":"Q","completion":"A"}
            {"prompt":"Q","completion":"A"}
            """);

        var result = await db.ImportAsync("w", new ImportOptions { AllowDuplicates = true }, file);

        Assert.Empty(result.SkippedDuplicates);
        await using var context = db.CreateDbContext();
        var keys = await context.SftExamples.OrderBy(e => e.Id).Select(e => e.Key).ToListAsync();
        Assert.Equal(3, keys.Distinct().Count());
        Assert.Equal([keys[0] + "-2", keys[0] + "-3"], keys[1..]);
    }

    [Fact]
    public async Task ImportAsync_ExplicitIdOfExistingRowWithOtherContent_IsAnError()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        await db.ImportAsync("w", null, db.WriteFile("first.csv", "id,prompt,response\nmine,Q,A\n"));

        var errors = await db.ImportErrorsAsync("w", null, db.WriteFile("second.csv", "id,prompt,response\nmine,Q,Other\n"));

        Assert.Equal("second.csv: line 2: id: the workspace already has a row with id 'mine' and different content", Assert.Single(errors).ToString());
    }

    [Fact]
    public async Task ImportAsync_GeneratedKeyTakenByLaterExplicitId_GetsSuffix()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var hashKey = "sft-" + Core.Text.ContentHash.ForSft([new("user", "Q"), new("assistant", "A")])[..12];
        var file = db.WriteFile("keys.jsonl", $$"""
            {"prompt":"Q","completion":"A"}
            {"prompt":"Q2","completion":"A2","id":"{{hashKey}}"}
            """);

        await db.ImportAsync("w", null, file);

        await using var context = db.CreateDbContext();
        Assert.Equal([hashKey + "-2", hashKey], await context.SftExamples.OrderBy(e => e.SourceLine).Select(e => e.Key).ToListAsync());
    }
}
