using System.Text.Json;
using Microsoft.Playwright;

namespace AnnotateDpo.EndToEnd.Tests;

[Collection(WebAppCollection.Name)]
public sealed class WorkspacesPageTests(WebAppFixture app)
{
    [Fact]
    public async Task StartPage_OnFirstStart_ShowsTheSeededDemoWorkspacesWithTheirCategories()
    {
        var seeded = Directory.GetFiles(Path.Combine(WebAppFixture.RepositoryRoot, "seed-data", "workspaces"), "*.annotatedpo.jsonl")
            .Select(file => JsonDocument.Parse(File.ReadLines(file).First()).RootElement)
            .ToList();
        var page = await app.NewSignedInPageAsync("e2e-viewer");

        await page.GotoAsync(app.BaseUrl);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Workspaces", Exact = true })).ToBeVisibleAsync();
        Assert.NotEmpty(seeded);
        foreach (var workspace in seeded)
        {
            var name = workspace.GetProperty("name").GetString()!;
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
            var table = page.GetByRole(AriaRole.Table, new() { Name = $"Coverage of {name}" });
            foreach (var category in workspace.GetProperty("categories").EnumerateArray())
                await Assertions.Expect(table.GetByRole(AriaRole.Cell, new() { Name = category.GetProperty("name").GetString()!, Exact = true })).ToBeVisibleAsync();
        }
    }
}
