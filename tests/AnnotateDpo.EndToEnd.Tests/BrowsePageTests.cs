using System.Net;
using System.Text.Json;
using AnnotateDpo.Core.Accounts;
using Microsoft.Playwright;

namespace AnnotateDpo.EndToEnd.Tests;

/// <summary>Browse and search on the English demo workspace, where "glitter" is in one SFT example and one pair.</summary>
[Collection(WebAppCollection.Name)]
public sealed class BrowsePageTests(WebAppFixture app)
{
    private static readonly string Workspace = JsonDocument.Parse(File.ReadLines(
        Path.Combine(WebAppFixture.RepositoryRoot, "seed-data", "workspaces", "support-desk.en.annotatedpo.jsonl")).First())
        .RootElement.GetProperty("name").GetString()!;

    private string ExportUrl(string query) => $"{app.BaseUrl}/browse/{Uri.EscapeDataString(Workspace)}/export?{query}";

    [Fact]
    public async Task Browse_AnnotatorSearchesAWord_OpensTheOnlyMatchAndExportsOnlyIt()
    {
        var page = await app.NewSignedInPageAsync("e2e-browser", AppRoles.Annotator);
        await page.GotoAsync($"{app.BaseUrl}/browse/{Uri.EscapeDataString(Workspace)}");
        var table = page.GetByTestId("sft-table");
        await Assertions.Expect(table.GetByRole(AriaRole.Button, new() { Name = "Open sft-0001", Exact = true })).ToBeVisibleAsync(new() { Timeout = 30_000 });

        await page.GetByRole(AriaRole.Textbox, new() { Name = "Search text" }).FillAsync("GLITTER");

        var match = table.GetByRole(AriaRole.Button, new() { Name = "Open sft-0010", Exact = true });
        await Assertions.Expect(table.GetByRole(AriaRole.Button, new() { Name = "Open sft-0001", Exact = true })).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await Assertions.Expect(table.Locator("tbody tr button")).ToHaveCountAsync(1);
        await match.ClickAsync();
        var detail = page.GetByRole(AriaRole.Region, new() { Name = "SFT example sft-0010" });
        await Assertions.Expect(detail).ToContainTextAsync("glitter", new() { IgnoreCase = true });
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "browse.en.png"), FullPage = true });

        var href = await page.GetByTestId("export-csv").GetAttributeAsync("href");
        var filtered = await page.Context.APIRequest.GetAsync($"{app.BaseUrl}/{href}");
        var all = await page.Context.APIRequest.GetAsync(ExportUrl("kind=sft&format=csv"));
        var pairs = await page.Context.APIRequest.GetAsync(ExportUrl("kind=pairs&format=jsonl&q=glitter"));

        Assert.Equal(200, filtered.Status);
        var lines = (await filtered.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,category,tags,status", lines[0], StringComparison.Ordinal);
        Assert.Single(lines, l => l.StartsWith("sft-", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("sft-0010,", StringComparison.Ordinal));
        // 20 examples, less one draft of someone else's.
        Assert.Equal(19, (await all.TextAsync()).Split('\n').Count(l => l.StartsWith("sft-", StringComparison.Ordinal)));
        var pairLines = (await pairs.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["workspace", "pair"], pairLines.Select(l => l.GetProperty("type").GetString()));
        Assert.Equal("pair-0018", pairLines[1].GetProperty("id").GetString());
        // An annotator's export carries only their own judgments, and this one has judged nothing.
        Assert.Equal(0, pairLines[1].GetProperty("judgments").GetArrayLength());
    }

    [Fact]
    public async Task Export_AnonymousRequest_IsSentToSignInWithoutData()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        using var response = await http.GetAsync(ExportUrl("kind=sft&format=csv"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("sft-", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
