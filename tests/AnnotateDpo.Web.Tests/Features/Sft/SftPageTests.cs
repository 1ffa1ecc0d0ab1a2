using AnnotateDpo.Core;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Import;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Web.Features.Sft;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AnnotateDpo.Web.Tests.Features.Sft;

public sealed class SftPageTests : BunitContext, IAsyncLifetime
{
    private const string Workspace = "プレス";
    private const string Question = "油圧ユニットの圧力が上がらないときは、まず何を確認すればよいですか?";
    private const string Answer = "吸込みストレーナの詰まりと、リリーフ弁の設定圧を確認します。作業前にロックアウトを行ってください。";
    private static readonly TimeSpan SaveWait = TimeSpan.FromSeconds(10);
    private readonly string _folder = Directory.CreateTempSubdirectory("annotatedpo-web-").FullName;

    public async Task InitializeAsync()
    {
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Database"] = Path.Combine(_folder, "web.db") })
            .Build());
        Services.AddAnnotateCore();
        Services.AddLogging();
        Services.AddSftFeature();
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        AddAuthorization().SetAuthorized("tanaka").SetRoles("Annotator");

        await Services.GetRequiredService<AnnotateDbContextFactory>().MigrateAsync();
        var file = Path.Combine(_folder, "sft.jsonl");
        await File.WriteAllLinesAsync(file,
        [
            $$"""{"messages":[{"role":"user","content":"{{Question}}"},{"role":"assistant","content":"{{Answer}}"}],"category":"油圧"}""",
        ]);
        await Services.GetRequiredService<ImportService>().ImportAsync(Workspace, [file], new ImportOptions());
    }

    private IRenderedComponent<SftPage> RenderPage()
    {
        var page = Render<SftPage>(p => p.Add(x => x.Workspace, Workspace));
        page.WaitForElement("[data-testid=turn] textarea");
        return page;
    }

    private static void Type(IRenderedComponent<SftPage> page, int turn, string text) =>
        page.FindAll("[data-testid=turn] textarea")[turn].Input(text);

    private static string[] TurnLabels(IRenderedComponent<SftPage> page) =>
        page.FindAll("[data-testid=turn] label").Select(l => l.TextContent.Trim()).ToArray();

    private async Task<SftExample> StoredDraftAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<AnnotateDbContext>>().CreateDbContextAsync();
        return await db.SftExamples.SingleAsync(e => e.AuthorId == "tanaka");
    }

    [Fact]
    public void SftPage_NearDuplicateTyped_WarnsWithALinkToTheOtherExample()
    {
        var page = RenderPage();

        Type(page, 0, Question);
        Type(page, 1, Answer.Replace("確認します", "点検します", StringComparison.Ordinal));

        page.WaitForAssertion(() =>
        {
            var warning = page.Find("[data-testid=duplicate-warning]");
            Assert.Contains("Near-duplicate of", warning.TextContent, StringComparison.Ordinal);
            Assert.Matches($"sft/{Uri.EscapeDataString(Workspace)}/examples/\\d+$", warning.QuerySelector("a")!.GetAttribute("href"));
        }, SaveWait);
    }

    [Fact]
    public void SftPage_DifferentTextTyped_ShowsNoDuplicateWarning()
    {
        var page = RenderPage();

        Type(page, 0, "プレスのクラッチが滑るのはなぜですか?");
        Type(page, 1, "ライニングの摩耗が多いです。");

        page.WaitForAssertion(() => Assert.Contains("Draft saved at", page.Find("[data-testid=save-state]").TextContent, StringComparison.Ordinal), SaveWait);
        Assert.Empty(page.FindAll("[data-testid=duplicate-warning]"));
    }

    [Fact]
    public void SftPage_AddAndRemoveTurns_ChangesTheConversation()
    {
        var page = RenderPage();
        Assert.Equal(["Turn 1: User", "Turn 2: Assistant"], TurnLabels(page));

        page.FindAll("button").Single(b => b.TextContent.Trim() == "Add turn").Click();
        page.FindAll("button").Single(b => b.TextContent.Trim() == "Add turn").Click();
        Assert.Equal(["Turn 1: User", "Turn 2: Assistant", "Turn 3: User", "Turn 4: Assistant"], TurnLabels(page));

        page.Find("button[aria-label='Remove turn 2']").Click();
        Assert.Equal(["Turn 1: User", "Turn 2: User", "Turn 3: Assistant"], TurnLabels(page));
    }

    [Fact]
    public async Task SftPage_Typing_SavesADraftOfTheSignedInUserAndPutsItInTheAddress()
    {
        var page = RenderPage();

        Type(page, 0, "スライドのギブに使うグリースは?");

        page.WaitForAssertion(() => Assert.Contains("Draft saved at", page.Find("[data-testid=save-state]").TextContent, StringComparison.Ordinal), SaveWait);
        var draft = await StoredDraftAsync();
        Assert.Equal(SftStatus.Draft, draft.Status);
        Assert.Equal([new ChatMessage(ChatRoles.User, "スライドのギブに使うグリースは?")], draft.Messages);
        Assert.EndsWith($"?example={draft.Id}", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
        Assert.Contains("Turn 2: Assistant", TurnLabels(page));
        Assert.Contains("Fill in or remove the empty turns.", page.Find("[data-testid=submit-problem]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SftPage_SubmitForReview_SubmitsTheDraftAndListsItAsSubmitted()
    {
        var page = RenderPage();
        Type(page, 0, "スライドのギブに使うグリースは?");
        Type(page, 1, "リチウム系 EP2 を週に一度。");
        page.WaitForAssertion(() => Assert.Contains("Draft saved at", page.Find("[data-testid=save-state]").TextContent, StringComparison.Ordinal), SaveWait);

        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Trim() == "Submit for review").Click());

        page.WaitForAssertion(() => Assert.Contains("Submitted", page.Find("[data-testid=my-example]").TextContent, StringComparison.Ordinal), SaveWait);
        Assert.Equal(SftStatus.Submitted, (await StoredDraftAsync()).Status);
        Assert.All(page.FindAll("[data-testid=turn] textarea"), t => Assert.Equal("", t.GetAttribute("value") ?? ""));
    }

    /// <summary>MudBlazor's key interceptor (behind the text fields) can only be disposed asynchronously.</summary>
    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        AnnotateDbContextFactory.ClearSqlitePools();
        Directory.Delete(_folder, recursive: true);
    }
}
