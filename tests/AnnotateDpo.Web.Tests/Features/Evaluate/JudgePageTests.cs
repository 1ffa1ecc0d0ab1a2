using AnnotateDpo.Core;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Evaluation;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Web.Features.Evaluate;
using AnnotateDpo.Web.Features.Generate;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AnnotateDpo.Web.Tests.Features.Evaluate;

public sealed class JudgePageTests : BunitContext, IAsyncLifetime
{
    private const string Workspace = "プレス";
    private static readonly string[] Labels = ["label-alpha-base", "label-omega-tuned"];
    private readonly string _folder = Directory.CreateTempSubdirectory("annotatedpo-web-eval-").FullName;
    private ModelEvaluation _evaluation = null!;

    public async Task InitializeAsync()
    {
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Database"] = Path.Combine(_folder, "web.db") })
            .Build());
        Services.AddAnnotateCore();
        Services.AddLogging();
        Services.AddGenerateFeature();
        Services.AddEvaluateFeature();
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        JSInterop.SetupModule("./js/annotate.js").Mode = JSRuntimeMode.Loose;
        AddAuthorization().SetAuthorized("tanaka").SetRoles("Annotator");

        await Services.GetRequiredService<AnnotateDbContextFactory>().MigrateAsync();
        await using (var db = await Services.GetRequiredService<IDbContextFactory<AnnotateDbContext>>().CreateDbContextAsync())
        {
            db.Workspaces.Add(new Workspace { Name = Workspace, CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        var evaluations = Services.GetRequiredService<EvaluationService>();
        await evaluations.AddHeldOutPromptsAsync(Workspace, ["圧力が下がったら？", "油の交換時期は？"], null, "mori");
        var models = Labels.Select(label =>
        {
            var path = Directory.CreateDirectory(Path.Combine(_folder, $"folder-of-{label}")).FullName;
            File.WriteAllText(Path.Combine(path, "config.json"), "{}");
            return new ModelEntry(label, path);
        }).ToList();
        _evaluation = await evaluations.CreateAsync(new EvaluationRequest(Workspace, "blind", models), "mori");
        await evaluations.SaveAnswersAsync(_evaluation.Id, _evaluation.Items.SelectMany(i => _evaluation.Models.Select(m =>
            new GeneratedAnswer(i.Id, m.Id, $"Answer {m.Ordinal}-{i.Ordinal}: **点検** する", 5))).ToList());
    }

    Task IAsyncLifetime.DisposeAsync()
    {
        AnnotateDbContextFactory.ClearSqlitePools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private IRenderedComponent<JudgePage> RenderPage()
    {
        var page = Render<JudgePage>(p => p.Add(x => x.Workspace, Workspace).Add(x => x.Id, _evaluation.Id));
        page.WaitForElement("section[aria-label='Left answer']");
        return page;
    }

    [Fact]
    public async Task JudgePage_EveryComparison_NeverRendersAModelsLabelOrFolder()
    {
        var page = RenderPage();
        var rendered = new List<string>();

        for (var i = 0; i < 2; i++)
        {
            rendered.Add(page.Markup);
            await page.InvokeAsync(() => page.Instance.OnShortcutAsync("3"));
            await page.InvokeAsync(() => page.Instance.OnShortcutAsync("enter"));
        }
        page.WaitForAssertion(() => Assert.Contains("You have judged every comparison", page.Markup, StringComparison.Ordinal));
        rendered.Add(page.Markup);

        Assert.Contains(rendered, html => html.Contains("<strong>点検</strong>", StringComparison.Ordinal));
        foreach (var html in rendered)
        {
            foreach (var secret in Labels.Concat(["folder-of", _folder, "config.json"]))
                Assert.DoesNotContain(secret, html, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task JudgePage_OneThenEnter_RecordsAWinForTheModelShownLeftAndTheOrderShown()
    {
        var page = RenderPage();
        var left = page.Find("section[aria-label='Left answer'] .markdown").TextContent.Trim();

        await page.InvokeAsync(() => page.Instance.OnShortcutAsync("1"));
        Assert.Equal("true", page.Find("button[aria-pressed='true']").GetAttribute("aria-pressed"));
        await page.InvokeAsync(() => page.Instance.OnShortcutAsync("enter"));

        page.WaitForAssertion(() => Assert.Contains("Judged 1 of 2", page.Find("[role=status]").TextContent, StringComparison.Ordinal));
        await using var db = await Services.GetRequiredService<IDbContextFactory<AnnotateDbContext>>().CreateDbContextAsync();
        var judgment = await db.EvaluationJudgments.SingleAsync();
        var leftAnswer = await db.EvaluationAnswers.SingleAsync(a => a.ItemId == judgment.ItemId && a.ModelId == judgment.LeftModelId);
        Assert.Equal(ComparisonVerdict.Left, judgment.Verdict);
        Assert.Equal("tanaka", judgment.AnnotatorId);
        Assert.Equal(left, SafeText(leftAnswer.Text));
    }

    /// <summary>The answer as the Markdown view shows it: the bold marks become formatting.</summary>
    private static string SafeText(string markdown) => markdown.Replace("**", "", StringComparison.Ordinal);
}
