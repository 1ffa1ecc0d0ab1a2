using AnnotateDpo.Core.Import;

namespace AnnotateDpo.Core.Tests.Import;

public class ImportAtomicityTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ImportAsync_OneBadRowAmongGood_LeavesDatabaseUnchanged(Storage.DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await db.ImportAsync("w", null, db.WriteFile("existing.jsonl", """{"prompt":"Q0","completion":"A0","category":"old"}"""));
        var before = await db.CountsAsync();
        var good = db.WriteFile("good.jsonl", string.Join('\n', Enumerable.Range(1, 50).Select(i =>
            $$"""{"prompt":"Q{{i}}","chosen":"good {{i}}","rejected":"bad {{i}}","category":"new"}""")));
        var bad = db.WriteFile("bad.csv", "prompt,response,category\nQa,Aa,new\nQb,,new\nQc,Ac,newer\n");

        var errors = await db.ImportErrorsAsync("w", null, good, bad);
        var otherWorkspace = await db.ImportErrorsAsync("fresh", null, bad);

        Assert.Equal("bad.csv: line 3: response: empty text", Assert.Single(errors).ToString());
        Assert.Single(otherWorkspace);
        Assert.Equal(before, await db.CountsAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ImportAsync_CancelledWhileWriting_RollsBackEveryBatch(Storage.DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var file = db.WriteFile("many.jsonl", string.Join('\n', Enumerable.Range(0, 2500).Select(i =>
            $$"""{"prompt":"Q{{i}}","completion":"A{{i}}","category":"c"}""")));
        using var cancellation = new CancellationTokenSource();
        // Cancel once the first batch is saved inside the transaction: the rows written so far must vanish too.
        var progress = new SynchronousProgress([], rows => { if (rows >= 1000) cancellation.Cancel(); });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            db.Importer().ImportAsync("w", [file], new ImportOptions { Progress = progress }, cancellation.Token));

        Assert.Equal(new RowCounts(0, 0, 0, 0, 0), await db.CountsAsync());
    }
}
