using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Import;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Tests.Import;

public class CsvImportTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ImportAsync_SftCsvWithOrWithoutBom_ImportsRows(bool byteOrderMark)
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var file = db.WriteFile("sft.csv", "prompt,response,system,category,tags\n" +
                                           "油圧の異音は？,ポンプのキャビテーションを確認,,hydraulics,press; noise\n" +
                                           "Q2,A2,Be brief.,,\n", byteOrderMark);

        var result = await db.ImportAsync("press", null, file);

        Assert.Equal(2, result.SftExamplesAdded);
        await using var context = db.CreateDbContext();
        var examples = await context.SftExamples.Include(e => e.Category).OrderBy(e => e.SourceLine).ToListAsync();
        Assert.Equal([new ChatMessage("user", "油圧の異音は？"), new ChatMessage("assistant", "ポンプのキャビテーションを確認")], examples[0].Messages);
        Assert.Equal(("hydraulics", 2), (examples[0].Category!.Name, examples[0].SourceLine));
        Assert.Equal(["press", "noise"], examples[0].Tags);
        Assert.Equal([new ChatMessage("system", "Be brief."), new ChatMessage("user", "Q2"), new ChatMessage("assistant", "A2")], examples[1].Messages);
        Assert.Null(examples[1].CategoryId);
        Assert.Empty(examples[1].Tags);
    }

    [Fact]
    public async Task ImportAsync_MultiLineQuotedFields_KeepsTextAndStartLines()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        const string answer = "Step 1, lock out.\r\nStep 2: say \"done\".\n\nStep 3";
        var file = db.WriteFile("multi.csv", "prompt,response\n" +
                                             "\"How, exactly?\",\"Step 1, lock out.\r\nStep 2: say \"\"done\"\".\n\nStep 3\"\n" +
                                             "Q2,\n");

        var errors = await db.ImportErrorsAsync("press", null, file);
        File.WriteAllText(file, File.ReadAllText(file).Replace("Q2,\n", "Q2,A2\n"));
        await db.ImportAsync("press", null, file);

        Assert.Equal("multi.csv: line 6: response: empty text", Assert.Single(errors).ToString());
        await using var context = db.CreateDbContext();
        var examples = await context.SftExamples.OrderBy(e => e.SourceLine).ToListAsync();
        Assert.Equal([2, 6], examples.Select(e => e.SourceLine!.Value));
        Assert.Equal(("How, exactly?", answer), (examples[0].Messages[0].Content, examples[0].Messages[1].Content));
    }

    [Fact]
    public async Task ImportAsync_PairCsv_DetectedByHeader()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var file = db.WriteFile("pairs.csv", "id,prompt,chosen,rejected,category,tags\np-1,Q,good,bad,safety,a;b\n");

        var result = await db.ImportAsync("press", null, file);

        Assert.Equal((0, 1, 1), (result.SftExamplesAdded, result.PairsAdded, result.JudgmentsAdded));
        await using var context = db.CreateDbContext();
        var pair = await context.PreferencePairs.Include(p => p.Judgments).SingleAsync();
        Assert.Equal(("p-1", "good", "bad", Verdict.A), (pair.Key, pair.ResponseA.Text, pair.ResponseB.Text, pair.Judgments.Single().Verdict));
        Assert.Equal(["a", "b"], pair.Tags);
    }

    [Fact]
    public async Task ImportAsync_HeaderWithBothKinds_NeedsKind()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var file = db.WriteFile("both.csv", "prompt,response,chosen\nQ,A,x\n");

        var errors = await db.ImportErrorsAsync("press", null, file);
        var pairErrors = await db.ImportErrorsAsync("press", new ImportOptions { Kind = ImportKind.Pairs }, file);

        Assert.Equal("header", Assert.Single(errors).Field);
        Assert.Equal(
            ["both.csv: line 1: rejected: missing required column", "both.csv: line 1: response: unknown column; expected id, prompt, chosen, rejected, category, tags"],
            pairErrors.Select(e => e.ToString()));
    }

    [Fact]
    public async Task ImportAsync_WrongFieldCountAndBadQuote_ReportedWithLines()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var file = db.WriteFile("bad.csv", "prompt,response\nQ,A,extra\nQ2,\"A2\"x\n");

        var errors = await db.ImportErrorsAsync("press", null, file);

        Assert.Equal(
            ["bad.csv: line 2: csv: the record has 3 fields; the header has 2", "bad.csv: line 3: csv: malformed CSV (TextAfterClosingQuote)"],
            errors.Select(e => e.ToString()));
    }
}
