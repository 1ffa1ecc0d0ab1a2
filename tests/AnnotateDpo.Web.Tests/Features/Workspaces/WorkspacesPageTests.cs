using AnnotateDpo.Core;
using AnnotateDpo.Core.Import;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Web.Features.Workspaces;
using Bunit.TestDoubles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AnnotateDpo.Web.Tests.Features.Workspaces;

public sealed class WorkspacesPageTests : BunitContext, IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("annotatedpo-web-").FullName;
    private BunitAuthorizationContext _authorization = null!;

    public async Task InitializeAsync()
    {
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Database"] = Path.Combine(_folder, "web.db") })
            .Build());
        Services.AddAnnotateCore();
        Services.AddLogging();
        Services.AddWorkspacesFeature();
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        // Links follow the roles; a signed-in annotator unless a test says otherwise.
        _authorization = AddAuthorization();
        _authorization.SetAuthorized("ken").SetRoles("Annotator");

        await Services.GetRequiredService<AnnotateDbContextFactory>().MigrateAsync();
        var file = Path.Combine(_folder, "pairs.jsonl");
        await File.WriteAllLinesAsync(file,
        [
            """{"prompt":"圧力が下がる","chosen":"LOTO の後に点検","rejected":"そのまま運転","category":"油圧"}""",
            """{"prompt":"異音","chosen":"停止して確認","rejected":"無視する","category":"油圧"}""",
            """{"messages":[{"role":"user","content":"金型の清掃は？"},{"role":"assistant","content":"毎シフト"}],"category":"金型"}""",
        ]);
        await Services.GetRequiredService<ImportService>().ImportAsync("プレス", [file], new ImportOptions());
    }

    [Fact]
    public void WorkspacesPage_WithImportedWorkspace_ShowsCountsPerCategory()
    {
        var page = Render<WorkspacesPage>();

        page.WaitForAssertion(() => Assert.Contains("プレス", page.Find("h5").TextContent));
        var rows = page.FindAll("tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToArray()).ToList();
        Assert.Contains(rows, r => r[0] == "油圧" && r[3].Replace(" ", "").StartsWith("2/", StringComparison.Ordinal));
        Assert.Contains(rows, r => r[0] == "金型" && r[1].Replace(" ", "").StartsWith("1/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Annotator", new[] { "annotate/{0}", "sft/{0}", "browse/{0}", "evaluate/{0}/judge" },
        new[] { "review/{0}", "coverage/{0}", "training/{0}", "sft/{0}/templates", "annotate/{0}/settings", "generate/{0}", "evaluate/{0}" })]
    [InlineData("Manager", new[] { "annotate/{0}", "sft/{0}", "browse/{0}", "evaluate/{0}/judge", "review/{0}", "coverage/{0}", "training/{0}",
        "sft/{0}/templates", "annotate/{0}/settings", "generate/{0}", "evaluate/{0}" }, new string[0])]
    public void WorkspacesPage_Role_LinksExactlyThePagesTheRoleOpens(string role, string[] shown, string[] hidden)
    {
        _authorization.SetAuthorized("someone").SetRoles(role);

        var page = Render<WorkspacesPage>();

        page.WaitForAssertion(() => Assert.Contains("プレス", page.Find("h5").TextContent));
        var links = page.FindAll("a").Select(a => a.GetAttribute("href")).ToList();
        var workspace = Uri.EscapeDataString("プレス");
        Assert.All(shown, path => Assert.Contains(string.Format(path, workspace), links));
        Assert.All(hidden, path => Assert.DoesNotContain(string.Format(path, workspace), links));
    }

    Task IAsyncLifetime.DisposeAsync()
    {
        AnnotateDbContextFactory.ClearSqlitePools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
