using System.Text;
using System.Text.Json;
using AnnotateDpo.Core.Browse;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Import;
using AnnotateDpo.Core.Storage;

namespace AnnotateDpo.Core.Tests.Browse;

public sealed class BrowseExporterTests
{
    private static readonly BrowseViewer Manager = new("yamada", IsManager: true);

    private static async Task<(string Text, int Rows)> ExportAsync(
        AnnotateDbContextFactory factory, BrowseKind kind, BrowseFilter filter, BrowseExportFormat format, BrowseViewer viewer)
    {
        var export = await new BrowseExporter(factory).PrepareAsync(BrowseWorkspace.Name, kind, filter, viewer, format);
        using var output = new MemoryStream();
        var rows = await export.WriteToAsync(output);
        return (Encoding.UTF8.GetString(output.ToArray()), rows);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Jsonl_FilteredPairs_HoldsTheWorkspaceLineAndOnlyMatchingPairsAndImportsBack(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await BrowseWorkspace.SeedAsync(database.Factory);

        var (text, rows) = await ExportAsync(database.Factory, BrowseKind.Pairs, new BrowseFilter { Category = "safety" }, BrowseExportFormat.Jsonl, Manager);

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, rows);
        Assert.Equal(["workspace", "pair", "pair"], lines.Select(l => l.GetProperty("type").GetString()));
        Assert.Equal(["p-unjudged", "p-final"], lines.Skip(1).Select(l => l.GetProperty("id").GetString()));
        Assert.Equal(3, lines[2].GetProperty("judgments").GetArrayLength());

        await using var target = await TestDatabase.CreateSqliteAsync();
        var file = target.WriteFile("export.annotatedpo.jsonl", text);
        var imported = await new ImportService(target.Factory, TimeProvider.System).ImportAsync(BrowseWorkspace.Name, [file], new ImportOptions());
        Assert.Equal(2, imported.PairsAdded);
        Assert.Equal(3, imported.JudgmentsAdded);
    }

    [Fact]
    public async Task Csv_SearchedSftForAnAnnotator_HoldsHeaderAndOnlyVisibleMatches()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await BrowseWorkspace.SeedAsync(database.Factory);
        var tanaka = new BrowseViewer("tanaka", IsManager: false);

        var (text, rows) = await ExportAsync(database.Factory, BrowseKind.Sft, new BrowseFilter { Search = "guard" }, BrowseExportFormat.Csv, tanaka);
        var (managerText, managerRows) = await ExportAsync(database.Factory, BrowseKind.Sft, new BrowseFilter { Search = "guard" }, BrowseExportFormat.Csv, Manager);

        Assert.Equal(0, rows);
        Assert.Equal("id,category,tags,status,author,created_at,updated_at,system,prompt,response,turns\n", text);
        Assert.Equal(1, managerRows);
        Assert.EndsWith("\ns-draft,safety,,draft,suzuki,2026-10-04T09:00:00Z,2026-10-05T09:00:00Z,You are a maintenance assistant.,Draft question about guards,Draft answer,1\n",
            managerText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_PairsForAnAnnotator_LeavesTheOutcomeOut()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await BrowseWorkspace.SeedAsync(database.Factory);

        var (annotator, _) = await ExportAsync(database.Factory, BrowseKind.Pairs, new BrowseFilter { Author = "suzuki" }, BrowseExportFormat.Csv, new BrowseViewer("sato", false));
        var (manager, _) = await ExportAsync(database.Factory, BrowseKind.Pairs, new BrowseFilter { Author = "suzuki" }, BrowseExportFormat.Csv, Manager);

        Assert.Contains("\np-disagreed,hydraulics,,suzuki,2026-10-02T09:00:00Z,,Pressure drops to 18 MPa,", annotator, StringComparison.Ordinal);
        Assert.Contains($"\np-disagreed,hydraulics,,suzuki,2026-10-02T09:00:00Z,{PairOutcome.Disagreement},Pressure drops to 18 MPa,", manager, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prepare_UnknownWorkspaceOrBadFilter_FailsBeforeWriting()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await BrowseWorkspace.SeedAsync(database.Factory);
        var exporter = new BrowseExporter(database.Factory);

        await Assert.ThrowsAsync<WorkspaceNotFoundException>(() => exporter.PrepareAsync("nope", BrowseKind.Sft, new BrowseFilter(), Manager, BrowseExportFormat.Csv));
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            exporter.PrepareAsync(BrowseWorkspace.Name, BrowseKind.Sft, new BrowseFilter { Agreement = PairAgreement.Agreed }, Manager, BrowseExportFormat.Csv));
        Assert.StartsWith("agreement: applies to preference pairs only", error.Message, StringComparison.Ordinal);
    }
}
