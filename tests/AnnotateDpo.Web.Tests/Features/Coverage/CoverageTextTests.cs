using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AnnotateDpo.Web.Tests.Features.Coverage;

/// <summary>The dashboard's texts: every key the components ask for is in both languages.</summary>
public sealed partial class CoverageTextTests
{
    private static readonly string Folder = Path.Combine(RepositoryRoot(), "src", "AnnotateDpo.Web", "Features", "Coverage");

    [Fact]
    public void Resources_EnglishAndJapanese_HoldTheSameKeys()
    {
        var english = Keys("CoverageText.resx");
        var japanese = Keys("CoverageText.ja.resx");

        Assert.Equal(english.Keys.Order(StringComparer.Ordinal), japanese.Keys.Order(StringComparer.Ordinal));
        Assert.All(english, e => Assert.Equal(e.Key, e.Value));
        Assert.All(japanese, j => Assert.False(string.IsNullOrWhiteSpace(j.Value), j.Key));
    }

    [Fact]
    public void Components_EveryLocalizedText_HasAResource()
    {
        var english = Keys("CoverageText.resx");

        var asked = Directory.GetFiles(Folder, "*.razor")
            .SelectMany(file => LocalizedText().Matches(File.ReadAllText(file)).Select(m => (File: Path.GetFileName(file), Key: m.Groups[1].Value)))
            .ToList();

        Assert.NotEmpty(asked);
        Assert.All(asked, a => Assert.True(english.ContainsKey(a.Key), $"{a.File} asks for \"{a.Key}\", which CoverageText.resx lacks"));
    }

    private static Dictionary<string, string> Keys(string file) =>
        XDocument.Load(Path.Combine(Folder, file)).Root!.Elements("data")
            .ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);

    /// <summary>A literal key: <c>T["…"]</c>, the key ending at the first unescaped quote.</summary>
    [GeneratedRegex("""T\["((?:[^"\\]|\\.)*)"[,\]]""")]
    private static partial Regex LocalizedText();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AnnotateDpo.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("AnnotateDpo.sln not found above the test output.");
    }
}
