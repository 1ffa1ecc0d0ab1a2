using System.Text.Json;
using AnnotateDpo.Core;
using AnnotateDpo.Core.Import;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Web.Features.Browse;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace AnnotateDpo.Web.Tests.Features.Browse;

/// <summary>The browse page over a real SQLite file holding 60 imported SFT examples, 6 of them about bolts.</summary>
public sealed class BrowsePageTests : BunitContext, IAsyncLifetime
{
    private const string Workspace = "プレス";
    private readonly string _folder = Directory.CreateTempSubdirectory("annotatedpo-browse-").FullName;

    public async Task InitializeAsync()
    {
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Database"] = Path.Combine(_folder, "browse.db") })
            .Build());
        Services.AddAnnotateCore();
        Services.AddLogging();
        Services.AddBrowseFeature();
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        AddAuthorization().SetAuthorized("tanaka").SetRoles("Manager");

        await Services.GetRequiredService<AnnotateDbContextFactory>().MigrateAsync();
        var file = Path.Combine(_folder, "sft.jsonl");
        await File.WriteAllLinesAsync(file, Enumerable.Range(1, 60).Select(i => JsonSerializer.Serialize(new
        {
            messages = new[]
            {
                new { role = "user", content = i % 9 == 0 ? $"質問 {i}: ボルトの締付トルクは？" : $"質問 {i}: 油圧の点検は？" },
                new { role = "assistant", content = $"回答 {i}: **必ず** LOTO の後に作業します。" },
            },
        })));
        await Services.GetRequiredService<ImportService>().ImportAsync(Workspace, [file], new ImportOptions());
    }

    private IRenderedComponent<BrowsePage> RenderPage()
    {
        Render<MudPopoverProvider>();
        var page = Render<BrowsePage>(p => p.Add(x => x.Workspace, Workspace));
        page.WaitForAssertion(() => Assert.Equal(25, Rows(page).Count), TimeSpan.FromSeconds(10));
        return page;
    }

    private static List<AngleSharp.Dom.IElement> Rows(IRenderedComponent<BrowsePage> page) =>
        page.FindAll("[data-testid=sft-table] tbody tr").Where(r => r.QuerySelector("button") is not null).ToList();

    private static string PagerInfo(IRenderedComponent<BrowsePage> page) => page.FindAll(".mud-table-pagination-caption")[^1].TextContent.Trim();

    [Fact]
    public void BrowsePage_NextPage_ShowsTheNextRowsAndTheTotal()
    {
        var page = RenderPage();
        var firstPage = Rows(page).Select(r => r.QuerySelector("button")!.TextContent.Trim()).ToList();

        Assert.Equal("1-25 of 60", PagerInfo(page));
        page.Find("button[aria-label='Next page']").Click();

        page.WaitForAssertion(() => Assert.Equal("26-50 of 60", PagerInfo(page)), TimeSpan.FromSeconds(10));
        var secondPage = Rows(page).Select(r => r.QuerySelector("button")!.TextContent.Trim()).ToList();
        Assert.Equal(25, secondPage.Count);
        Assert.Empty(firstPage.Intersect(secondPage));
    }

    [Fact]
    public void BrowsePage_SearchForAWord_KeepsOnlyMatchingRowsAndStartsAtPageOne()
    {
        var page = RenderPage();
        page.Find("button[aria-label='Next page']").Click();
        page.WaitForAssertion(() => Assert.Equal("26-50 of 60", PagerInfo(page)), TimeSpan.FromSeconds(10));

        page.Find("input[data-testid=browse-search]").Input("ボルト");

        page.WaitForAssertion(() => Assert.Equal("1-6 of 6", PagerInfo(page)), TimeSpan.FromSeconds(10));
        Assert.All(Rows(page), r => Assert.Contains("ボルトの締付トルク", r.TextContent, StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.Contains("q=ボルト", Uri.UnescapeDataString(page.Find("a[data-testid=export-csv]").GetAttribute("href")!), StringComparison.Ordinal));
    }

    [Fact]
    public void BrowsePage_OpenARow_ShowsTheConversationAsSafeMarkdown()
    {
        var page = RenderPage();
        var first = Rows(page)[0].QuerySelector("button")!;
        var key = first.TextContent.Trim();

        first.Click();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=sft-detail]")), TimeSpan.FromSeconds(10));
        var detail = page.Find("[data-testid=sft-detail]");
        Assert.Equal($"SFT example {key}", detail.GetAttribute("aria-label"));
        Assert.Equal("必ず", detail.QuerySelector(".markdown strong")?.TextContent);
        Assert.Contains("Approved", detail.TextContent, StringComparison.Ordinal);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        AnnotateDbContextFactory.ClearSqlitePools();
        Directory.Delete(_folder, recursive: true);
    }
}
