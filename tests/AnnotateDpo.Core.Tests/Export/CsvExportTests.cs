using AnnotateDpo.Core.Export;
using AnnotateDpo.Core.Import;
using AnnotateDpo.Core.Tests.Import;

namespace AnnotateDpo.Core.Tests.Export;

public class CsvExportTests
{
    [Fact]
    public async Task ExportCsvAsync_CuratedRows_WritesImportColumnsWithResolvedChoice()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        await db.ImportAsync(FullFormatSamples.Workspace, null, db.WriteFile("in.annotatedpo.jsonl", FullFormatSamples.Canonical));
        var folder = Path.Combine(db.Folder, "csv");

        var result = await new ExportService(db.Factory).ExportCsvAsync(FullFormatSamples.Workspace, folder);

        // sft-0002 has four turns and is rejected, sft-0003 is a draft; pair-0002 has a system prompt, pair-0003 is both-bad.
        Assert.Equal(new CsvExportResult(SftExamples: 1, Pairs: 1, SftLeftOut: 2, PairsLeftOut: 2), result);
        Assert.Equal(
            "id,system,prompt,response,category,tags\n" +
            "sft-0001,保全担当として答える。,油が漏れている。,\"まずロックアウト。\n次にシールを確認。\",hydraulics,press;leak\n",
            await File.ReadAllTextAsync(Path.Combine(folder, ExportService.SftCsvFile)));
        // pair-0001: tanaka changed to A and suzuki chose A, so A is chosen.
        Assert.Equal(
            "id,prompt,chosen,rejected,category,tags\n" +
            "pair-0001,圧力が下がる。原因は？,ポンプの摩耗かリリーフ弁の固着。,わからない。,hydraulics,press\n",
            await File.ReadAllTextAsync(Path.Combine(folder, ExportService.PairsCsvFile)));
    }

    [Fact]
    public async Task ExportCsvAsync_BChosen_WritesBAsChosen()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var line = FullFormatSamples.PairLine.Replace("\"verdict\":\"a\"", "\"verdict\":\"b\"");
        await db.ImportAsync("w", null, db.WriteFile("in.annotatedpo.jsonl", FullFormatSamples.Header + "\n" + line + "\n"));
        var folder = Path.Combine(db.Folder, "csv");

        await new ExportService(db.Factory).ExportCsvAsync("w", folder);

        Assert.Equal("id,prompt,chosen,rejected,category,tags\npair-1,Q,y,x,hydraulics,\n",
            await File.ReadAllTextAsync(Path.Combine(folder, ExportService.PairsCsvFile)));
    }

    [Fact]
    public async Task ExportThenImport_CsvFiles_GiveIdenticalContent()
    {
        await using var source = await TestDatabase.CreateSqliteAsync();
        await source.ImportAsync("w", null,
            source.WriteFile("sft.csv", "system,prompt,response,category,tags\n" +
                                        ",\"Multi\nline, \"\"quoted\"\"\",答え 🔧,hydraulics,a;b\n" +
                                        "Be brief.,Q2,A2,,\n"),
            source.WriteFile("pairs.jsonl", """{"prompt":"P","chosen":"good","rejected":"bad","category":"safety","tags":["x"]}"""));
        var folder = Path.Combine(source.Folder, "csv");
        await new ExportService(source.Factory).ExportCsvAsync("w", folder);
        await using var copy = await TestDatabase.CreateSqliteAsync();

        await copy.ImportAsync("w", null, Path.Combine(folder, ExportService.SftCsvFile), Path.Combine(folder, ExportService.PairsCsvFile));

        Assert.Equal(await source.ProjectionAsync("w", withCuration: false), await copy.ProjectionAsync("w", withCuration: false));
    }

    [Fact]
    public async Task ExportCsvAsync_DraftImport_LeavesEverythingOut()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        await db.ImportAsync("w", new ImportOptions { AsDraft = true },
            db.WriteFile("in.jsonl", "{\"prompt\":\"Q\",\"completion\":\"A\"}\n{\"prompt\":\"Q\",\"chosen\":\"x\",\"rejected\":\"y\"}"));
        var folder = Path.Combine(db.Folder, "csv");

        var result = await new ExportService(db.Factory).ExportCsvAsync("w", folder);

        Assert.Equal(new CsvExportResult(0, 0, 1, 1), result);
        Assert.Equal("id,prompt,chosen,rejected,category,tags\n", await File.ReadAllTextAsync(Path.Combine(folder, ExportService.PairsCsvFile)));
    }
}
