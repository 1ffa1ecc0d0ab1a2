using AnnotateDpo.Core;
using AnnotateDpo.Core.Authoring;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Web.Features.Review;
using AnnotateDpo.Web.Features.Sft;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AnnotateDpo.Web.Tests.Features.Review;

public sealed class ReviewPageTests : BunitContext, IAsyncLifetime
{
    private const string Workspace = "press line";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly string _folder = Directory.CreateTempSubdirectory("annotatedpo-web-").FullName;
    private long _exampleId;
    private long _pairId;

    public async Task InitializeAsync()
    {
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Database"] = Path.Combine(_folder, "web.db") })
            .Build());
        Services.AddAnnotateCore();
        Services.AddLogging();
        Services.AddSftFeature();
        Services.AddReviewFeature();
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        AddAuthorization().SetAuthorized("boss").SetRoles("Manager");

        await Services.GetRequiredService<AnnotateDbContextFactory>().MigrateAsync();
        await using (var db = await Services.GetRequiredService<IDbContextFactory<AnnotateDbContext>>().CreateDbContextAsync())
        {
            var workspace = new Workspace { Name = Workspace, CreatedAt = DateTime.UtcNow };
            db.Workspaces.Add(workspace);
            await db.SaveChangesAsync();
            var pair = new PreferencePair
            {
                WorkspaceId = workspace.Id, Key = "pair-1", Prompt = [new(ChatRoles.User, "Which valve first?")],
                ResponseA = new PairResponse { Text = "The relief valve." }, ResponseB = new PairResponse { Text = "The check <script>x</script> valve." },
                AuthorId = "import", CreatedAt = DateTime.UtcNow, ContentHash = "pair-1",
                Judgments =
                [
                    new Judgment { Key = "j-1", AnnotatorId = "tanaka", Verdict = Verdict.A, Strength = VerdictStrength.Clear, Rationale = "Relief first.", CreatedAt = DateTime.UtcNow },
                    new Judgment { Key = "j-2", AnnotatorId = "suzuki", Verdict = Verdict.B, Strength = VerdictStrength.Slight, Rationale = "Check valve sticks.", CreatedAt = DateTime.UtcNow },
                ],
            };
            db.PreferencePairs.Add(pair);
            await db.SaveChangesAsync();
            _pairId = pair.Id;
        }
        var authoring = Services.GetRequiredService<SftAuthoringService>();
        var draft = await authoring.SaveDraftAsync(Workspace, "yamada", null,
            new SftContent([new(ChatRoles.User, "The press stops at top dead centre."), new(ChatRoles.Assistant, "Check the brake air pressure.")], null, []));
        _exampleId = (await authoring.SubmitAsync(Workspace, "yamada", draft.Id)).Id;
    }

    private IRenderedComponent<ReviewPage> RenderPage()
    {
        var page = Render<ReviewPage>(p => p.Add(x => x.Workspace, Workspace));
        page.WaitForElement("[data-testid^=review-]", Wait);
        return page;
    }

    private static void Click(IRenderedComponent<ReviewPage> page, string label) =>
        page.FindAll("button").Single(b => b.TextContent.Trim() == label).Click();

    private async Task<SftExample> StoredExampleAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<AnnotateDbContext>>().CreateDbContextAsync();
        return await db.SftExamples.SingleAsync(e => e.Id == _exampleId);
    }

    [Fact]
    public async Task ReviewPage_Approve_ApprovesTheExampleAndEmptiesTheQueue()
    {
        var page = RenderPage();

        Click(page, "Approve");

        page.WaitForAssertion(() => Assert.Contains("No SFT examples are waiting for review.", page.Markup, StringComparison.Ordinal), Wait);
        var stored = await StoredExampleAsync();
        Assert.Equal(SftStatus.Approved, stored.Status);
        Assert.Equal("boss", stored.ReviewedBy);
    }

    [Fact]
    public async Task ReviewPage_RejectWithComment_RejectsTheExampleWithTheComment()
    {
        var page = RenderPage();
        Assert.True(page.FindAll("button").Single(b => b.TextContent.Trim() == "Reject").HasAttribute("disabled"));

        page.Find("[data-testid^=review-] textarea").Input("Name the pressure.");
        Click(page, "Reject");

        page.WaitForAssertion(() => Assert.Contains("No SFT examples are waiting for review.", page.Markup, StringComparison.Ordinal), Wait);
        var stored = await StoredExampleAsync();
        Assert.Equal(SftStatus.Rejected, stored.Status);
        Assert.Equal("Name the pressure.", stored.ReviewComment);
    }

    [Fact]
    public async Task ReviewPage_EditAndApprove_StoresTheEditedAnswer()
    {
        var page = RenderPage();

        Click(page, "Edit");
        page.FindAll("[data-testid^=review-] textarea")[1].Input("Lock out, then check the brake air pressure.");
        Click(page, "Approve with edits");

        page.WaitForAssertion(() => Assert.Contains("No SFT examples are waiting for review.", page.Markup, StringComparison.Ordinal), Wait);
        var stored = await StoredExampleAsync();
        Assert.Equal(SftStatus.Approved, stored.Status);
        Assert.Equal("Lock out, then check the brake air pressure.", stored.Messages[^1].Content);
    }

    [Fact]
    public async Task ReviewPage_Disagreement_ShowsEachVerdictAndRecordsTheManagersFinal()
    {
        var page = RenderPage();
        page.FindAll(".mud-tab").Single(t => t.TextContent.Contains("Disagreements (1)", StringComparison.Ordinal)).Click();
        var card = page.WaitForElement("[data-testid=disagreement-pair-1]", Wait);
        Assert.Contains("Relief first.", card.TextContent, StringComparison.Ordinal);
        Assert.Contains("Check valve sticks.", card.TextContent, StringComparison.Ordinal);
        Assert.Contains("<script>x</script>", card.TextContent, StringComparison.Ordinal);
        Assert.Empty(card.QuerySelectorAll("script"));

        Click(page, "B is better");
        var rationale = page.FindAll("[data-testid=disagreement-pair-1] input").Single(i => i.HasAttribute("blazor:oninput"));
        rationale.Input("Sticking check valves are the usual cause.");
        Click(page, "Set final verdict");

        page.WaitForAssertion(() => Assert.Contains("No pair is left undecided", page.Markup, StringComparison.Ordinal), Wait);
        await using var db = await Services.GetRequiredService<IDbContextFactory<AnnotateDbContext>>().CreateDbContextAsync();
        var final = await db.Judgments.SingleAsync(j => j.PairId == _pairId && j.IsFinal);
        Assert.Equal(("boss", Verdict.B, VerdictStrength.Clear), (final.AnnotatorId, final.Verdict, final.Strength));
        Assert.Equal("Sticking check valves are the usual cause.", final.Rationale);
    }

    [Fact]
    public async Task ReviewPage_PairFlaggedByTraining_ShowsWhyAndAFinalVerdictClosesTheRequest()
    {
        var reviews = Services.GetRequiredService<PairReviewService>();
        await reviews.RequestAsync(Workspace, "pair-1", "suppression (Δlog p_w +0.10, Δlog p_l −9.00)", "run r7", "mika");
        var page = RenderPage();

        page.FindAll(".mud-tab").Single(t => t.TextContent.Contains("Flagged by training (1)", StringComparison.Ordinal)).Click();
        var card = page.WaitForElement("[data-testid=flagged-pair-1]", Wait);
        Assert.Contains("Sent by mika from run r7: suppression (Δlog p_w +0.10, Δlog p_l −9.00)", card.TextContent, StringComparison.Ordinal);
        Assert.Contains("Relief first.", card.TextContent, StringComparison.Ordinal);
        page.FindAll("[data-testid=flagged-pair-1] button").Single(b => b.TextContent.Trim() == "A is better").Click();
        page.FindAll("[data-testid=flagged-pair-1] button").Single(b => b.TextContent.Trim() == "Set final verdict").Click();

        page.WaitForAssertion(() => Assert.Contains("No pair was sent here from a training run.", page.Markup, StringComparison.Ordinal), Wait);
        Assert.Empty(await reviews.ListOpenAsync(Workspace));
        await using var db = await Services.GetRequiredService<IDbContextFactory<AnnotateDbContext>>().CreateDbContextAsync();
        Assert.Equal(Verdict.A, (await db.Judgments.SingleAsync(j => j.PairId == _pairId && j.IsFinal)).Verdict);
    }

    [Fact]
    public async Task ReviewPage_DismissAFlaggedPair_ClosesItWithoutAVerdict()
    {
        var reviews = Services.GetRequiredService<PairReviewService>();
        await reviews.RequestAsync(Workspace, "pair-1", "near-identical", "run r7", "mika");
        var page = RenderPage();

        page.FindAll(".mud-tab").Single(t => t.TextContent.Contains("Flagged by training (1)", StringComparison.Ordinal)).Click();
        page.WaitForElement("[data-testid=dismiss-flag]", Wait).Click();

        page.WaitForAssertion(() => Assert.Contains("Flagged by training (0)", page.Markup, StringComparison.Ordinal), Wait);
        Assert.Empty(await reviews.ListOpenAsync(Workspace));
        await using var db = await Services.GetRequiredService<IDbContextFactory<AnnotateDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Judgments.AnyAsync(j => j.IsFinal));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        AnnotateDbContextFactory.ClearSqlitePools();
        Directory.Delete(_folder, recursive: true);
    }
}
