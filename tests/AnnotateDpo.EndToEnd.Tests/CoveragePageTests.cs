using System.Text.Json;
using AnnotateDpo.Core.Accounts;
using Microsoft.Playwright;

namespace AnnotateDpo.EndToEnd.Tests;

[Collection(WebAppCollection.Name)]
public sealed class CoveragePageTests(WebAppFixture app)
{
    [Fact]
    public async Task CoverageLink_SeededJapaneseWorkspace_OpensTheDashboardWithItsReadinessChecklist()
    {
        var seed = Path.Combine(WebAppFixture.RepositoryRoot, "seed-data", "workspaces", "press-line-maintenance.ja.annotatedpo.jsonl");
        var name = JsonDocument.Parse(File.ReadLines(seed).First()).RootElement.GetProperty("name").GetString()!;
        var page = await app.NewSignedInPageAsync("e2e-manager", AppRoles.Manager);
        await page.GotoAsync(app.BaseUrl);

        // Follow the start page's link by its address: a click while the circuit is still starting can be lost.
        var href = await page.GetByRole(AriaRole.Link, new() { Name = $"Coverage and quality of {name}", Exact = true }).GetAttributeAsync("href");
        await page.GotoAsync($"{app.BaseUrl}/{href}");

        // The figures (bootstrap intervals included) take a few seconds on a busy 2-core machine: a wait, not a speed target.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Readiness for training" })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = name, Exact = true })).ToBeVisibleAsync();
        var checklist = page.GetByRole(AriaRole.Table, new() { Name = "Readiness checklist" });
        await Assertions.Expect(checklist.GetByRole(AriaRole.Cell, new() { Name = "Approved SFT examples", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Where to invest next" })).ToBeVisibleAsync();
    }
}
