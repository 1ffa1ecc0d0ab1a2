using System.Text;
using System.Text.Json;
using AnnotateDpo.Core.Export;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Tests.Import;

public class LosslessImportTests
{
    /// <summary>About 100 000 characters of everything that breaks naive formats.</summary>
    private static string LongText(string seed)
    {
        var text = new StringBuilder(seed);
        var pieces = new[] { "油圧ポンプの異音、", "emoji 🔧🛠️👷🏽‍♀️ ", "\"quoted\", with commas,", "\n", "\r\n", "tab\there ", "ｶﾀｶﾅ ＡＢＣ", "  spaced  " };
        for (var i = 0; text.Length < 100_000; i++) text.Append(pieces[i % pieces.Length]);
        return text.ToString();
    }

    [Fact]
    public async Task ImportAsync_LongUnicodeTextsInEveryFormat_StoredExactly()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var (prompt, answer, rejected) = (LongText("Q: "), LongText("A: "), LongText("R: "));
        var jsonl = db.WriteFile("long.jsonl", JsonSerializer.Serialize(new { prompt, completion = answer }) + "\n" +
                                               JsonSerializer.Serialize(new { prompt, chosen = answer, rejected }));
        var csv = db.WriteFile("long.csv", "prompt,response\n" + Quote(prompt + "!") + "," + Quote(answer) + "\n");

        var result = await db.ImportAsync("w", null, jsonl, csv);

        Assert.Equal((2, 1), (result.SftExamplesAdded, result.PairsAdded));
        await using var context = db.CreateDbContext();
        var examples = await context.SftExamples.OrderBy(e => e.SourceFile).ToListAsync();
        Assert.Equal(prompt + "!", examples[0].Messages[0].Content);
        Assert.Equal(answer, examples[0].Messages[1].Content);
        Assert.Equal(prompt, examples[1].Messages[0].Content);
        var pair = await context.PreferencePairs.SingleAsync();
        Assert.Equal((answer, rejected), (pair.ResponseA.Text, pair.ResponseB.Text));
    }

    [Fact]
    public async Task ExportThenImport_LongUnicodeTexts_RoundTripExactlyThroughFullAndCsv()
    {
        await using var source = await TestDatabase.CreateSqliteAsync();
        var (prompt, answer, rejected) = (LongText("Q: "), LongText("A: "), LongText("R: "));
        await source.ImportAsync("w", null, source.WriteFile("long.jsonl",
            JsonSerializer.Serialize(new { prompt, completion = answer }) + "\n" + JsonSerializer.Serialize(new { prompt, chosen = answer, rejected })));
        var exporter = new ExportService(source.Factory);
        var full = Path.Combine(source.Folder, "out", "w.annotatedpo.jsonl");
        var csvFolder = Path.Combine(source.Folder, "csv");
        await exporter.ExportFullAsync("w", full);
        await exporter.ExportCsvAsync("w", csvFolder);

        await using var viaFull = await TestDatabase.CreateSqliteAsync();
        await using var viaCsv = await TestDatabase.CreateSqliteAsync();
        await viaFull.ImportAsync("w", null, full);
        await viaCsv.ImportAsync("w", null, Path.Combine(csvFolder, ExportService.SftCsvFile), Path.Combine(csvFolder, ExportService.PairsCsvFile));

        var expected = await source.ProjectionAsync("w");
        Assert.Equal(expected, await viaFull.ProjectionAsync("w"));
        Assert.Equal(await source.ProjectionAsync("w", withCuration: false), await viaCsv.ProjectionAsync("w", withCuration: false));
        Assert.Contains("油圧ポンプの異音", await File.ReadAllTextAsync(full));
    }

    private static string Quote(string field) => "\"" + field.Replace("\"", "\"\"") + "\"";
}
