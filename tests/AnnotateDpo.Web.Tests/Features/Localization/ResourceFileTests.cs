using System.Globalization;
using System.Xml.Linq;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Web.Features.Account;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace AnnotateDpo.Web.Tests.Features.Localization;

public sealed class ResourceFileTests
{
    private static readonly string WebProject = Path.Combine(AppPaths.Home, "src", "AnnotateDpo.Web");

    public static TheoryData<string> NeutralResourceFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(WebProject, "*.resx", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && Path.GetFileNameWithoutExtension(f).IndexOf('.') < 0))
            data.Add(Path.GetRelativePath(WebProject, file));
        return data;
    }

    [Theory]
    [MemberData(nameof(NeutralResourceFiles))]
    public void EveryText_HasAJapaneseTranslationAndNoStrayKeys(string neutral)
    {
        var english = Keys(Path.Combine(WebProject, neutral));
        var japaneseFile = Path.Combine(WebProject, Path.ChangeExtension(neutral, ".ja.resx"));
        Assert.True(File.Exists(japaneseFile), $"{neutral} has no Japanese file beside it.");
        var japanese = Keys(japaneseFile);

        Assert.Empty(english.Keys.Except(japanese.Keys));
        Assert.Empty(japanese.Keys.Except(english.Keys));
        Assert.All(japanese, entry => Assert.False(string.IsNullOrWhiteSpace(entry.Value), $"'{entry.Key}' is empty in Japanese."));
        Assert.All(english, entry => Assert.Equal(entry.Key, entry.Value));
    }

    [Fact]
    public void Localizer_JapaneseCulture_ReadsTheSatelliteAssembly()
    {
        using var services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        var text = services.GetRequiredService<IStringLocalizer<AccountText>>();
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("ja-JP");
            Assert.Equal("ログイン", text["Sign in"]);
            CultureInfo.CurrentUICulture = new CultureInfo("en");
            Assert.Equal("Sign in", text["Sign in"]);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    private static Dictionary<string, string> Keys(string file) =>
        XDocument.Load(file).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");
}
