using AnnotateDpo.Core;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Import;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Web.Features.Annotate;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace AnnotateDpo.Web.Tests.Features.Annotate;

public sealed class AnnotatePageTests : BunitContext, IAsyncLifetime
{
    private const string Workspace = "プレス";
    private const string Rejected = "そのまま運転";
    private readonly string _folder = Directory.CreateTempSubdirectory("annotatedpo-web-").FullName;
    private BunitJSModuleInterop _module = null!;

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
        _module = JSInterop.SetupModule("./js/annotate.js");
        _module.Mode = JSRuntimeMode.Loose;
        AddAuthorization().SetAuthorized("tanaka").SetRoles("Annotator");

        await Services.GetRequiredService<AnnotateDbContextFactory>().MigrateAsync();
        var file = Path.Combine(_folder, "pairs.jsonl");
        await File.WriteAllLinesAsync(file,
        [
            """{"prompt":"圧力が **下がる**","chosen":"<script>alert(1)</script> **LOTO** の後に点検","rejected":"そのまま運転","category":"油圧"}""",
            """{"prompt":"油が白い","chosen":"水の混入を疑う","rejected":"問題ない","category":"油圧"}""",
        ]);
        await Services.GetRequiredService<ImportService>().ImportAsync(Workspace, [file], new ImportOptions());
    }

    /// <summary>The page under the providers MainLayout gives it (dialogs, popovers), once the first pair is shown.</summary>
    private (IRenderedComponent<IComponent> Root, AnnotatePage Page) RenderPage()
    {
        var root = Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<AnnotatePage>(2);
            builder.AddAttribute(3, nameof(AnnotatePage.Workspace), Workspace);
            builder.CloseComponent();
        });
        root.WaitForElement("section[aria-label='Left response']");
        return (root, root.FindComponent<AnnotatePage>().Instance);
    }

    [Fact]
    public void AnnotatePage_SignedInAnnotator_ShowsPromptAndBothResponsesAsSafeMarkdown()
    {
        var (page, _) = RenderPage();

        var prompt = page.Find("section[aria-label='Prompt']");
        Assert.Equal("下がる", prompt.QuerySelector("strong")?.TextContent);
        var responses = page.Find("section[aria-label='Left response']").TextContent + page.Find("section[aria-label='Right response']").TextContent;
        Assert.Contains("<script>alert(1)</script>", responses, StringComparison.Ordinal);
        Assert.Contains("そのまま運転", responses, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("section script"));
        Assert.Contains(page.FindAll("section strong"), s => s.TextContent == "LOTO");
        Assert.Contains("Judged by tanaka: 0 of 2", page.Find("[role=status]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnnotatePage_LeftBetterClearSubmit_AppendsJudgmentForTheResponseShownLeft()
    {
        var (page, _) = RenderPage();
        var leftText = page.Find("section[aria-label='Left response'] .markdown").TextContent.Trim();

        Click(page, "Left better");
        Click(page, "Clear");
        Click(page, "Submit");

        page.WaitForAssertion(() => Assert.Contains("Judged by tanaka: 1 of 2", page.Find("[role=status]").TextContent, StringComparison.Ordinal));
        await using var db = await Services.GetRequiredService<IDbContextFactory<AnnotateDbContext>>().CreateDbContextAsync();
        var judgment = await db.Judgments.SingleAsync(j => j.AnnotatorId == "tanaka");
        var pair = await db.PreferencePairs.SingleAsync(p => p.Id == judgment.PairId);
        var leftIsA = pair.ResponseA.Text == Rejected == (leftText == Rejected);
        Assert.Equal(leftIsA ? Verdict.A : Verdict.B, judgment.Verdict);
        Assert.Equal(leftIsA ? ShownOrder.AB : ShownOrder.BA, judgment.ShownOrder);
        Assert.Equal(VerdictStrength.Clear, judgment.Strength);
        Assert.True(judgment.SecondsSpent >= 0);
    }

    [Fact]
    public async Task RewriteKeyL_ChangedTextWithSftSaved_AddsEditedOverOriginalPairAndSubmittedExampleByTheUser()
    {
        var (page, annotate) = RenderPage();
        var leftText = page.Find("section[aria-label='Left response'] .markdown").TextContent.Trim();

        await page.InvokeAsync(() => annotate.OnShortcutAsync("l"));
        var editor = page.Find("[data-draft-field='rewrite:left'] textarea");
        var initial = Value(editor);
        editor.Change("LOTO の後に圧力計を確認し、**漏れ**を点検する");
        page.Find("section[aria-label='Better answer'] input[type=checkbox]").Change(true);
        await page.FindAll("button").Single(b => b.TextContent.Trim() == "Save better answer").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("section[aria-label='Better answer']")));
        Assert.Equal(leftText == Rejected, initial == Rejected);
        await using var db = await Services.GetRequiredService<IDbContextFactory<AnnotateDbContext>>().CreateDbContextAsync();
        var edited = await db.PreferencePairs.Include(p => p.Judgments).SingleAsync(p => p.ResponseA.Origin == ResponseOrigin.Edited);
        var original = await db.PreferencePairs.SingleAsync(p => p.Key == edited.ResponseA.EditedFromPairKey);
        Assert.Equal("LOTO の後に圧力計を確認し、**漏れ**を点検する", edited.ResponseA.Text);
        Assert.Equal(initial, edited.ResponseB.Text);
        Assert.Equal("tanaka", Assert.Single(edited.Judgments).AnnotatorId);
        var example = await db.SftExamples.SingleAsync();
        Assert.Equal((SftStatus.Submitted, "tanaka"), (example.Status, example.AuthorId));
        Assert.Equal("LOTO の後に圧力計を確認し、**漏れ**を点検する", example.Messages[^1].Content);
        Assert.Contains(_module.Invocations["clearDraft"], i => i.Arguments[1] is string[] fields && fields.SequenceEqual(["rewrite:left"]));
        Assert.Contains(original.Key, page.Find("section[aria-label='Prompt']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SkipKey_RationaleTyped_AsksAndKeepsThePairAndTextUntilConfirmed()
    {
        var (page, annotate) = RenderPage();
        var firstPair = page.Find("section[aria-label='Prompt']").TextContent;
        page.Find("[data-draft-field='rationale'] textarea").Change("圧力計が先");

        var keep = page.InvokeAsync(() => annotate.OnShortcutAsync("s"));
        page.WaitForAssertion(() => Assert.Contains("not saved", page.Find(".mud-dialog").TextContent, StringComparison.Ordinal));
        page.Find("[data-dialog-action=cancel]").Click();
        await keep;
        Assert.Equal(firstPair, page.Find("section[aria-label='Prompt']").TextContent);
        Assert.Equal("圧力計が先", page.Find("[data-draft-field='rationale'] textarea").GetAttribute("value") ?? page.Find("[data-draft-field='rationale'] textarea").TextContent);
        Assert.Empty(_module.Invocations["clearDraft"]);

        var skip = page.InvokeAsync(() => annotate.OnShortcutAsync("s"));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".mud-dialog")));
        page.Find("[data-dialog-action=confirm]").Click();
        await skip;

        page.WaitForAssertion(() => Assert.NotEqual(firstPair, page.Find("section[aria-label='Prompt']").TextContent));
        Assert.Single(_module.Invocations["clearDraft"]);
        await using var db = await Services.GetRequiredService<IDbContextFactory<AnnotateDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.Judgments.CountAsync(j => j.AnnotatorId == "tanaka"));
    }

    [Fact]
    public void SkipKey_NothingTyped_SkipsWithoutAsking()
    {
        var (page, annotate) = RenderPage();
        var firstPair = page.Find("section[aria-label='Prompt']").TextContent;

        page.InvokeAsync(() => annotate.OnShortcutAsync("s"));

        page.WaitForAssertion(() => Assert.NotEqual(firstPair, page.Find("section[aria-label='Prompt']").TextContent));
        Assert.Empty(page.FindAll(".mud-dialog"));
    }

    [Fact]
    public void AnnotatePage_BrowserKeptADraft_PutsTheRationaleAndTheBetterAnswerBack()
    {
        _module.Setup<Dictionary<string, string>?>("loadDraft", _ => true)
            .SetResult(new Dictionary<string, string> { ["rationale"] = "書きかけの理由", ["rewrite:right"] = "書きかけの回答" });

        var (page, _) = RenderPage();

        Assert.Equal("書きかけの理由", Value(page.Find("[data-draft-field='rationale'] textarea")));
        Assert.Equal("書きかけの回答", Value(page.Find("[data-draft-field='rewrite:right'] textarea")));
        var loaded = Assert.Single(_module.Invocations["loadDraft"]);
        Assert.Equal($"{Workspace}|tanaka|", ((string)loaded.Arguments[0]!)[..(Workspace.Length + 8)]);
    }

    [Fact]
    public async Task SubmitKey_AfterTypingARationale_StoresItAndForgetsTheDraft()
    {
        var (page, annotate) = RenderPage();
        page.Find("[data-draft-field='rationale'] textarea").Change("  安全が先  ");

        await page.InvokeAsync(() => annotate.OnShortcutAsync("3"));
        await page.InvokeAsync(() => annotate.OnShortcutAsync("enter"));

        page.WaitForAssertion(() => Assert.Contains("Judged by tanaka: 1 of 2", page.Find("[role=status]").TextContent, StringComparison.Ordinal));
        await using var db = await Services.GetRequiredService<IDbContextFactory<AnnotateDbContext>>().CreateDbContextAsync();
        var judgment = await db.Judgments.SingleAsync(j => j.AnnotatorId == "tanaka");
        Assert.Equal((Verdict.Tie, "安全が先"), (judgment.Verdict, judgment.Rationale));
        Assert.Contains(_module.Invocations["clearDraft"], i => i.Arguments[1] is string[] { Length: 0 });
        Assert.Equal("", Value(page.Find("[data-draft-field='rationale'] textarea")));
    }

    [Fact]
    public async Task JudgingSettingsPage_ManagerSavesTargetAndGuidelines_TheQueueUsesThem()
    {
        var settings = Render<JudgingSettingsPage>(p => p.Add(x => x.Workspace, Workspace));
        settings.WaitForElement("textarea");

        settings.Find("input[inputmode=numeric], input[type=number], input[type=text]").Change("3");
        settings.Find("textarea").Input("# 手順\n\n1. **LOTO**");
        settings.WaitForAssertion(() => Assert.Equal("LOTO", settings.Find("section[aria-label='Preview'] strong").TextContent));
        await settings.FindAll("button").Single(b => b.TextContent.Trim() == "Save").ClickAsync(new());

        var described = await Services.GetRequiredService<JudgmentQueue>().DescribeAsync(Workspace);
        Assert.Equal(3, described.OverlapTarget);
        Assert.Equal("# 手順\n\n1. **LOTO**", described.Guidelines);
    }

    private static string Value(AngleSharp.Dom.IElement textarea) => textarea.GetAttribute("value") ?? textarea.TextContent;

    private static void Click(IRenderedComponent<IComponent> page, string label) =>
        page.FindAll("button").Single(b => b.TextContent.Trim() == label).Click();

    /// <summary>MudBlazor's key interceptor (behind the text fields) can only be disposed asynchronously.</summary>
    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        AnnotateDbContextFactory.ClearSqlitePools();
        Directory.Delete(_folder, recursive: true);
    }
}
