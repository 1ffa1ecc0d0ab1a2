using System.Diagnostics;
using System.Text.Json;
using AnnotateDpo.Core.Accounts;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Core.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AnnotateDpo.EndToEnd.Tests;

[Collection(WebAppCollection.Name)]
public sealed class TrainingPageTests(WebAppFixture app)
{
    /// <summary>Training on a loaded 2-core machine: generous waits, never a speed target.</summary>
    private const float TrainingWait = 20 * 60_000;

    [Fact]
    public async Task Train_DemoPresetOnTheDemoWorkspace_ChartsFillAndTheRunSucceedsWithALoadableModel()
    {
        var seed = Path.Combine(WebAppFixture.RepositoryRoot, "seed-data", "workspaces", "press-line-maintenance.ja.annotatedpo.jsonl");
        var name = JsonDocument.Parse(File.ReadLines(seed).First()).RootElement.GetProperty("name").GetString()!;
        var page = await app.NewSignedInPageAsync("e2e-trainer", AppRoles.Manager);
        await page.GotoAsync(app.BaseUrl);
        var href = await page.GetByRole(AriaRole.Link, new() { Name = $"Train a model on {name}", Exact = true }).GetAttributeAsync("href");
        await page.GotoAsync($"{app.BaseUrl}/{href}");

        await page.GetByRole(AriaRole.Radio, new() { Name = "Demo on CPU" }).CheckAsync();
        // The demo preset as is runs 15 + 28 steps; capped at 2 steps a stage through the advanced panel, so that the
        // test stays minutes long on a busy machine while still running both stages end to end.
        await page.GetByText("Advanced settings").ClickAsync();
        await page.GetByLabel("Max steps per stage").FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Train", Exact = true }).ClickAsync();

        var runPanel = page.GetByTestId("run-panel");
        await Assertions.Expect(runPanel.GetByTestId("run-state")).ToHaveTextAsync("running", new() { Timeout = TrainingWait });
        var sftLoss = page.GetByRole(AriaRole.Table, new() { Name = "SFT · Loss" }).Locator("tbody tr");
        await Assertions.Expect(sftLoss.First).ToBeVisibleAsync(new() { Timeout = TrainingWait });
        var dpoMargins = page.GetByRole(AriaRole.Table, new() { Name = "DPO · Reward margin" }).Locator("tbody tr");
        await Assertions.Expect(dpoMargins.First).ToBeVisibleAsync(new() { Timeout = TrainingWait });
        await Assertions.Expect(runPanel.GetByTestId("run-state")).ToHaveTextAsync("succeeded", new() { Timeout = TrainingWait });
        await Assertions.Expect(dpoMargins).ToHaveCountAsync(3); // the eval before the first step, then steps 1 and 2
        // The DPO stage's last eval answered the fixed eval prompts, shown beside the run's first answers.
        await Assertions.Expect(runPanel.GetByTestId("sample-answers").GetByTestId("sample-answer").First).Not.ToBeEmptyAsync();
        await Assertions.Expect(runPanel.GetByTestId("sample-answers").Locator("th").Nth(2)).ToContainTextAsync("DPO");
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "training.en.png"), FullPage = true });

        var run = await LatestRunAsync(name);
        Assert.Equal(TrainingRunState.Succeeded, run.State);
        var info = await ModelInfoAsync(Path.Combine(run.RunFolder, "dpo"));
        Assert.True(info.RootElement.GetProperty("parameters").GetInt64() > 0);

        await page.GetByTestId("dynamics-link").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Eval pairs: change since the reference and flags" }).Locator("tbody tr").First)
            .ToBeVisibleAsync(new() { Timeout = TrainingWait });
        await Assertions.Expect(page.Locator("svg[role=img]").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "dynamics.en.png"), FullPage = true });
        // The train split on demand: the CLI scores the train pairs in a child process, and the table switches to them.
        await page.GetByTestId("diagnose-train").ClickAsync();
        await Assertions.Expect(page.GetByTestId("train-split-summary")).ToContainTextAsync("Train split:", new() { Timeout = TrainingWait });
        await page.GoBackAsync();

        var download = await page.Context.APIRequest.GetAsync($"{app.BaseUrl}/training/runs/{run.Id}/model/dpo.zip");
        Assert.Equal(200, download.Status);
        Assert.Equal("application/zip", download.Headers["content-type"]);
        var zip = await download.BodyAsync();
        Assert.Equal("PK"u8.ToArray(), zip[..2]);
        var annotator = await app.NewSignedInPageAsync("e2e-annotator-training", AppRoles.Annotator);
        var refused = await annotator.Context.APIRequest.GetAsync($"{app.BaseUrl}/training/runs/{run.Id}/model/dpo.zip");
        Assert.NotEqual("application/zip", refused.Headers.GetValueOrDefault("content-type"));

        await page.GotoAsync($"{app.BaseUrl}/culture/ja?redirectUri={Uri.EscapeDataString("/" + href)}");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "学習", Exact = true })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "training.ja.png"), FullPage = true });
    }

    private async Task<TrainingRun> LatestRunAsync(string workspace)
    {
        await using var db = app.Services.GetRequiredService<AnnotateDbContextFactory>().CreateDbContext();
        var workspaceId = await db.Workspaces.Where(w => w.Name == workspace).Select(w => w.Id).SingleAsync();
        return await db.TrainingRuns.AsNoTracking().Where(r => r.WorkspaceId == workspaceId).OrderByDescending(r => r.Id).FirstAsync();
    }

    /// <summary>Loads the model folder with the CLI's <c>model info</c>, which builds the model and round-trips its tokenizer.</summary>
    private static async Task<JsonDocument> ModelInfoAsync(string folder)
    {
        var cli = Path.Combine(WebAppFixture.RepositoryRoot, "src", "AnnotateDpo.Cli", "bin", BuildConfiguration, "net10.0", "annotatedpo.dll");
        var start = new ProcessStartInfo("dotnet", [cli, "model", "info", "--model", folder, "--json"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"model info on {folder} exited {process.ExitCode}: {errors}");
        return JsonDocument.Parse(output);
    }

#if DEBUG
    private const string BuildConfiguration = "Debug";
#else
    private const string BuildConfiguration = "Release";
#endif
}
