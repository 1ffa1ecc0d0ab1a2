using System.Text.Json;
using AnnotateDpo.Core.Accounts;
using Microsoft.Playwright;

namespace AnnotateDpo.EndToEnd.Tests;

[Collection(WebAppCollection.Name)]
public sealed class AblationPageTests(WebAppFixture app)
{
    /// <summary>Four trainer processes in a row on a loaded 2-core machine: generous waits, never a speed target.</summary>
    private const float TrainingWait = 30 * 60_000;

    [Fact]
    public async Task DoesSftFirstPayOff_DemoWorkspace_BothRunsTrainAndTheComparisonGivesAVerdict()
    {
        var seed = Path.Combine(WebAppFixture.RepositoryRoot, "seed-data", "workspaces", "press-line-maintenance.ja.annotatedpo.jsonl");
        var name = JsonDocument.Parse(File.ReadLines(seed).First()).RootElement.GetProperty("name").GetString()!;
        var page = await app.NewSignedInPageAsync("e2e-ablation", AppRoles.Manager);
        await page.GotoAsync($"{app.BaseUrl}/training/{Uri.EscapeDataString(name)}");

        await page.GetByRole(AriaRole.Radio, new() { Name = "Demo on CPU" }).CheckAsync();
        // Two steps a stage keep the four trainer runs minutes long while every stage still runs end to end.
        await page.GetByText("Advanced settings").ClickAsync();
        await page.GetByLabel("Max steps per stage").FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Does SFT first pay off?", Exact = true }).ClickAsync();

        await page.WaitForURLAsync("**/training/ablations/*");
        foreach (var arm in new[] { "arm-dpo-from-base", "arm-sft-then-dpo" })
            await Assertions.Expect(page.GetByTestId(arm).GetByTestId("run-state")).ToHaveTextAsync("succeeded", new() { Timeout = TrainingWait });
        await Assertions.Expect(page.GetByTestId("verdict")).Not.ToHaveAttributeAsync("data-verdict", "Pending");
        await Assertions.Expect(page.Locator("figure.dynamics-plot")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Eval SFT loss over DPO steps" }).Locator("tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.GetByTestId("win-rate").GetByRole(AriaRole.Button, new() { Name = "Evaluate these two" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "ablation.en.png"), FullPage = true });

        var address = new Uri(page.Url).AbsolutePath;
        await page.GotoAsync($"{app.BaseUrl}/culture/ja?redirectUri={Uri.EscapeDataString(address)}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "先にSFTする価値はあるか？" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "ablation.ja.png"), FullPage = true });
    }
}
