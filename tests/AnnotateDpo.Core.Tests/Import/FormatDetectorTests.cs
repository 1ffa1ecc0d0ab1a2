using AnnotateDpo.Core.Import;

namespace AnnotateDpo.Core.Tests.Import;

public class FormatDetectorTests
{
    [Theory]
    [InlineData("w.annotatedpo.jsonl", "{\"prompt\":\"not even a workspace\"}", ImportFormat.FullJsonl)]
    [InlineData("export.jsonl", "\n{\"type\":\"workspace\",\"name\":\"w\"}", ImportFormat.FullJsonl)]
    [InlineData("prefs.jsonl", "{\"prompt\":\"Q\",\"chosen\":\"a\",\"rejected\":\"b\"}", ImportFormat.TrlJsonl)]
    [InlineData("broken.jsonl", "{not json", ImportFormat.TrlJsonl)]
    [InlineData("rows.json", "{\"messages\":[]}", ImportFormat.TrlJsonl)]
    [InlineData("data.txt", "  {\"messages\":[]}", ImportFormat.TrlJsonl)]
    [InlineData("data.txt", "prompt,response\nQ,A", ImportFormat.Csv)]
    [InlineData("DATA.CSV", "{\"looks\":\"like json\"}", ImportFormat.Csv)]
    public void Detect_NameAndFirstLine_GiveFormat(string name, string content, ImportFormat expected)
    {
        var folder = Directory.CreateTempSubdirectory("annotatedpo-detect-");
        try
        {
            var path = Path.Combine(folder.FullName, name);
            File.WriteAllText(path, content);

            var format = FormatDetector.Detect(path);

            Assert.Equal(expected, format);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ImportAsync_FullFileWithBom_IsDetectedAndImported()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var file = db.WriteFile("bom.jsonl", FullFormatSamples.Canonical, byteOrderMark: true);

        var result = await db.ImportAsync(FullFormatSamples.Workspace, null, file);

        Assert.Equal((3, 3), (result.SftExamplesAdded, result.PairsAdded));
    }
}
