using System.Text.Json;
using AnnotateDpo.Core.Accounts;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Evaluation;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AnnotateDpo.EndToEnd.Tests;

/// <summary>On-policy pairs and blind evaluation through the browser, with the demo model generating in the app's CLI jobs.</summary>
[Collection(WebAppCollection.Name)]
public sealed class GenerateAndEvaluateTests(WebAppFixture app)
{
    private static readonly string Workspace = JsonDocument.Parse(File.ReadLines(
            Path.Combine(WebAppFixture.RepositoryRoot, "seed-data", "workspaces", "press-line-maintenance.ja.annotatedpo.jsonl")).First())
        .RootElement.GetProperty("name").GetString()!;

    private static readonly string DemoModel = Path.Combine(WebAppFixture.RepositoryRoot, "seed-data", "models", "demo-tiny");

    /// <summary>Generation runs the model on a loaded 2-core machine: a wait, not a speed target.</summary>
    private static readonly LocatorAssertionsToContainTextOptions JobWait = new() { Timeout = 300_000 };

    private AnnotateDbContextFactory Database => app.Services.GetRequiredService<AnnotateDbContextFactory>();

    private static string Screenshot(string name) => Path.Combine(AppContext.BaseDirectory, "screenshots", $"{name}.en.png");

    [Fact]
    public async Task Generate_ThreePromptsWithTheDemoModel_PutsModelPairsInTheJudgingQueue()
    {
        var before = await PairOriginCounts.CountAsync(Database, Workspace);
        var page = await app.NewSignedInPageAsync("e2e-generator", AppRoles.Manager);
        await page.GotoAsync($"{app.BaseUrl}/generate/{Uri.EscapeDataString(Workspace)}");
        await Assertions.Expect(page.GetByTestId("pair-origins")).ToContainTextAsync($"{before.Model} from models", new() { Timeout = 60_000 });

        await page.GetByLabel("At most this many prompts").FillAsync("3");
        await page.GetByLabel("Max new tokens").FillAsync("12");
        await page.GetByLabel("Seed (empty: random)").FillAsync("11");
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Progressbar)).ToBeVisibleAsync();
        var status = page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Finished." });
        await Assertions.Expect(status).ToContainTextAsync("pairs queued for judging", JobWait);
        await page.ScreenshotAsync(new() { Path = Screenshot("generate"), FullPage = true });

        await using var db = Database.CreateDbContext();
        var onPolicy = (await db.PreferencePairs.ToListAsync()).Where(p => p.Tags.Contains(OnPolicyPairService.Tag)).ToList();
        Assert.InRange(onPolicy.Count, 1, 3);
        Assert.All(onPolicy, p => Assert.StartsWith("sft:", p.SourceFile, StringComparison.Ordinal));
        Assert.All(onPolicy, p => Assert.Equal(Path.Combine("seed-data", "models", "demo-tiny"), p.ResponseA.Model));
        await Assertions.Expect(page.GetByTestId("pair-origins")).ToContainTextAsync($"{before.Model + onPolicy.Count} from models");
        var queue = new JudgmentQueue(Database, TimeProvider.System);
        var served = new List<string>();
        while (await queue.NextAsync(Workspace, "e2e-queue-reader", served.Count == 0 ? [] : await IdsAsync(served)) is { Pair: { } pair })
            served.Add(pair.PairKey);
        Assert.Subset(served.ToHashSet(), onPolicy.Select(p => p.Key).ToHashSet());
    }

    private async Task<IReadOnlyCollection<long>> IdsAsync(IReadOnlyCollection<string> keys)
    {
        await using var db = Database.CreateDbContext();
        return await db.PreferencePairs.Where(p => keys.Contains(p.Key)).Select(p => p.Id).ToListAsync();
    }

    [Fact]
    public async Task Evaluate_GenerateThenJudgeThreeBlindComparisons_ShowsTheWinRateTable()
    {
        // A workspace of the test's own, without snapshots, so the evaluation holds exactly its three held-out prompts.
        const string workspace = "e2e-evaluation";
        await app.ImportWorkspaceAsync(workspace,
            """{"messages":[{"role":"user","content":"Hello"},{"role":"assistant","content":"Hello, how can I help?"}]}""");
        var copy = Directory.CreateTempSubdirectory("annotatedpo-e2e-model-").FullName;
        try
        {
            foreach (var file in Directory.EnumerateFiles(DemoModel))
                File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            var service = new EvaluationService(Database, TimeProvider.System);
            await service.AddHeldOutPromptsAsync(workspace, ["How do I reset my password?", "Where is my invoice?", "Can I change my plan?"], "e2e", "e2e-manager");
            var evaluation = await service.CreateAsync(new EvaluationRequest(workspace, "e2e blind", [new ModelEntry("model-left-secret", DemoModel), new ModelEntry("model-right-secret", copy)],
                SnapshotId: null, MaxNewTokens: 12), "e2e-manager");
            Assert.Equal(3, evaluation.Items.Count);

            var manager = await app.NewSignedInPageAsync("e2e-manager", AppRoles.Manager);
            var address = $"{app.BaseUrl}/evaluate/{Uri.EscapeDataString(workspace)}/{evaluation.Id}";
            await manager.GotoAsync(address);
            await manager.GetByRole(AriaRole.Button, new() { Name = "Generate answers" }).ClickAsync(new() { Timeout = 60_000 });
            await Assertions.Expect(manager.GetByRole(AriaRole.Status).Filter(new() { HasText = "Finished." })).ToContainTextAsync("ready to judge", JobWait);

            var judge = await app.NewSignedInPageAsync("e2e-judge");
            await judge.GotoAsync($"{app.BaseUrl}/evaluate/{Uri.EscapeDataString(workspace)}/judge");
            await judge.GetByRole(AriaRole.Link, new() { Name = "e2e blind" }).ClickAsync(new() { Timeout = 60_000 });
            var progress = judge.GetByRole(AriaRole.Status);
            await Assertions.Expect(progress).ToHaveTextAsync("Judged 0 of 3", new() { Timeout = 60_000 });
            var html = await judge.ContentAsync();
            foreach (var secret in new[] { "model-left-secret", "model-right-secret", copy, "demo-tiny" })
                Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
            foreach (var (key, judged) in new[] { ("1", 1), ("2", 2), ("3", 3) })
            {
                await judge.Keyboard.PressAsync(key);
                await Assertions.Expect(judge.GetByRole(AriaRole.Button, new() { Pressed = true })).ToHaveCountAsync(1);
                await judge.Keyboard.PressAsync("Enter");
                if (judged < 3)
                    await Assertions.Expect(progress).ToHaveTextAsync($"Judged {judged} of 3");
            }
            await Assertions.Expect(judge.GetByText("You have judged every comparison of this evaluation.")).ToBeVisibleAsync();

            await manager.ReloadAsync();
            var table = manager.GetByRole(AriaRole.Table).Filter(new() { HasText = "Win rate per model pair" });
            var row = table.GetByRole(AriaRole.Row).Filter(new() { HasText = "model-left-secret" });
            await Assertions.Expect(row).ToContainTextAsync("model-right-secret", new() { Timeout = 60_000 });
            var cells = await row.GetByRole(AriaRole.Cell).AllInnerTextsAsync();
            Assert.Equal(3, int.Parse(cells[2]) + int.Parse(cells[3]) + int.Parse(cells[4]));
            Assert.Equal("1", cells[3]);
            await Assertions.Expect(manager.GetByRole(AriaRole.Table).Filter(new() { HasText = "Automatic metrics" })).ToContainTextAsync("model-right-secret");
            await manager.ScreenshotAsync(new() { Path = Screenshot("evaluation-results"), FullPage = true });
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }
}
