using AnnotateDpo.Core;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Import;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Web.Features.Annotate;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AnnotateDpo.Web.Tests.Features.Annotate;

public sealed class AnnotatePageTests : BunitContext, IAsyncLifetime
{
    private const string Workspace = "プレス";
    private readonly string _folder = Directory.CreateTempSubdirectory("annotatedpo-web-").FullName;

    public async Task InitializeAsync()
    {
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Database"] = Path.Combine(_folder, "web.db") })
            .Build());
        Services.AddAnnotateCore();
        Services.AddLogging();
        Services.AddAnnotateFeature();
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        var module = JSInterop.SetupModule("./js/annotate.js");
        module.Mode = JSRuntimeMode.Loose;
        AddAuthorization().SetAuthorized("tanaka").SetRoles("Annotator");

        await Services.GetRequiredService<AnnotateDbContextFactory>().MigrateAsync();
        var file = Path.Combine(_folder, "pairs.jsonl");
        await File.WriteAllLinesAsync(file,
        [
            """{"prompt":"圧力が **下がる**","chosen":"<script>alert(1)</script> **LOTO** の後に点検","rejected":"そのまま運転","category":"油圧"}""",
        ]);
        await Services.GetRequiredService<ImportService>().ImportAsync(Workspace, [file], new ImportOptions());
    }

    private IRenderedComponent<AnnotatePage> RenderPage()
    {
        var page = Render<AnnotatePage>(p => p.Add(x => x.Workspace, Workspace));
        page.WaitForElement("section[aria-label='Left response']");
        return page;
    }

    [Fact]
    public void AnnotatePage_SignedInAnnotator_ShowsPromptAndBothResponsesAsSafeMarkdown()
    {
        var page = RenderPage();

        var prompt = page.Find("section[aria-label='Prompt']");
        Assert.Equal("下がる", prompt.QuerySelector("strong")?.TextContent);
        var responses = page.Find("section[aria-label='Left response']").TextContent + page.Find("section[aria-label='Right response']").TextContent;
        Assert.Contains("<script>alert(1)</script>", responses, StringComparison.Ordinal);
        Assert.Contains("そのまま運転", responses, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("section script"));
        Assert.Contains(page.FindAll("section strong"), s => s.TextContent == "LOTO");
        Assert.Contains("Judged by tanaka: 0 of 1", page.Find("[role=status]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnnotatePage_LeftBetterClearSubmit_AppendsJudgmentForTheResponseShownLeft()
    {
        var page = RenderPage();
        var leftText = page.Find("section[aria-label='Left response'] .markdown").TextContent.Trim();

        Click(page, "Left better");
        Click(page, "Clear");
        Click(page, "Submit");

        page.WaitForAssertion(() => Assert.Contains("Judged by tanaka: 1 of 1", page.Find("[role=status]").TextContent, StringComparison.Ordinal));
        await using var db = await Services.GetRequiredService<IDbContextFactory<AnnotateDbContext>>().CreateDbContextAsync();
        var pair = await db.PreferencePairs.SingleAsync();
        var judgment = await db.Judgments.SingleAsync(j => j.AnnotatorId == "tanaka");
        const string Rejected = "そのまま運転";
        var leftIsA = pair.ResponseA.Text == Rejected == (leftText == Rejected);
        Assert.Equal(leftIsA ? Verdict.A : Verdict.B, judgment.Verdict);
        Assert.Equal(leftIsA ? ShownOrder.AB : ShownOrder.BA, judgment.ShownOrder);
        Assert.Equal(VerdictStrength.Clear, judgment.Strength);
        Assert.True(judgment.SecondsSpent >= 0);
    }

    private static void Click(IRenderedComponent<AnnotatePage> page, string label) =>
        page.FindAll("button").Single(b => b.TextContent.Trim() == label).Click();

    /// <summary>MudBlazor's key interceptor (behind the text fields) can only be disposed asynchronously.</summary>
    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        AnnotateDbContextFactory.ClearSqlitePools();
        Directory.Delete(_folder, recursive: true);
    }
}
