using System.Text;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Export;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Core.Tests.Import;

namespace AnnotateDpo.Core.Tests.Export;

public class FullExportTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ExportFullAsync_ImportedCanonicalFile_WritesTheSameBytes(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await db.ImportAsync(FullFormatSamples.Workspace, null, db.WriteFile("in.annotatedpo.jsonl", FullFormatSamples.Canonical));
        var outFile = Path.Combine(db.Folder, "out", "export.annotatedpo.jsonl");

        var result = await new ExportService(db.Factory).ExportFullAsync(FullFormatSamples.Workspace, outFile);

        Assert.Equal(new ExportResult(3, 3, 7), result);
        var bytes = await File.ReadAllBytesAsync(outFile);
        Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), "no BOM");
        Assert.Equal(FullFormatSamples.Canonical, Encoding.UTF8.GetString(bytes));
        Assert.Equal([Path.GetFileName(outFile)], Directory.GetFiles(Path.GetDirectoryName(outFile)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ExportThenImport_SeedData_GivesIdenticalContent()
    {
        var files = Directory.GetFiles(Path.Combine(AppPaths.SeedDataFolder, "workspaces"), "*.annotatedpo.jsonl");
        Assert.NotEmpty(files);
        foreach (var seed in files)
        {
            await using var source = await TestDatabase.CreateSqliteAsync();
            await using var copy = await TestDatabase.CreateSqliteAsync();
            await source.ImportAsync("seed", null, seed);
            var exported = Path.Combine(source.Folder, "seed.annotatedpo.jsonl");

            await new ExportService(source.Factory).ExportFullAsync("seed", exported);
            await copy.ImportAsync("seed", null, exported);

            Assert.Equal(await source.ProjectionAsync("seed"), await copy.ProjectionAsync("seed"));
        }
    }

    [Fact]
    public async Task ExportFullAsync_ExistingFile_IsReplacedWhole()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        await db.ImportAsync("w", null, db.WriteFile("in.jsonl", """{"prompt":"Q","completion":"A"}"""));
        var outFile = db.WriteFile("out.annotatedpo.jsonl", new string('x', 10_000));

        await new ExportService(db.Factory).ExportFullAsync("w", outFile);

        var lines = await File.ReadAllLinesAsync(outFile);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("{\"type\":\"workspace\",\"name\":\"w\"", lines[0]);
    }

    [Fact]
    public async Task ExportFullAsync_UnknownWorkspace_ThrowsAndWritesNothing()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var outFile = Path.Combine(db.Folder, "none.annotatedpo.jsonl");

        await Assert.ThrowsAsync<WorkspaceNotFoundException>(() => new ExportService(db.Factory).ExportFullAsync("nope", outFile));

        Assert.False(File.Exists(outFile));
    }
}
