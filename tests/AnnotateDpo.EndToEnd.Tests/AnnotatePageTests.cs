using System.Text.Json;
using System.Text.RegularExpressions;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Import;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AnnotateDpo.EndToEnd.Tests;

[Collection(WebAppCollection.Name)]
public sealed partial class AnnotatePageTests(WebAppFixture app)
{
    private static readonly string Workspace = JsonDocument.Parse(File.ReadLines(
            Path.Combine(WebAppFixture.RepositoryRoot, "seed-data", "workspaces", "support-desk.en.annotatedpo.jsonl")).First())
        .RootElement.GetProperty("name").GetString()!;

    /// <summary>Opens the page signed in as the annotator and waits for the first pair, which appears once the shortcuts listen.</summary>
    private async Task<(IPage Page, ILocator Progress)> OpenAsync(string annotator, string? workspace = null, int? pairs = null)
    {
        var page = await app.NewSignedInPageAsync(annotator);
        await page.GotoAsync($"{app.BaseUrl}/annotate/{Uri.EscapeDataString(workspace ?? Workspace)}");
        var progress = page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Judged by {annotator}" });
        // The circuit takes a few seconds to start on a busy 2-core machine: a wait, not a speed target.
        await Assertions.Expect(progress).ToHaveTextAsync($"Judged by {annotator}: 0 of {pairs ?? PairCount()}", new() { Timeout = 60_000 });
        return (page, progress);
    }


    private static string[] NumberedPairs(int count) =>
        Enumerable.Range(1, count).Select(i => JsonSerializer.Serialize(new { prompt = $"Question {i}?", chosen = $"Good answer {i}.", rejected = $"Poor answer {i}." })).ToArray();

    private async Task<T> QueryAsync<T>(Func<AnnotateDbContext, Task<T>> query)
    {
        await using var db = app.Services.GetRequiredService<AnnotateDbContextFactory>().CreateDbContext();
        return await query(db);
    }

    private static int PairCount() =>
        File.ReadLines(Path.Combine(WebAppFixture.RepositoryRoot, "seed-data", "workspaces", "support-desk.en.annotatedpo.jsonl"))
            .Count(line => JsonDocument.Parse(line).RootElement.GetProperty("type").GetString() == "pair");

    [Fact]
    public async Task Keyboard_LeftBetterClearEnter_CountsTheJudgmentAndShowsAnotherPair()
    {
        var (page, progress) = await OpenAsync("e2e");
        var prompt = page.GetByRole(AriaRole.Region, new() { Name = "Prompt" });
        var firstPair = await prompt.GetByText(PairKey()).InnerTextAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Left response" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Right response" })).ToBeVisibleAsync();

        await page.Keyboard.PressAsync("1");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Left better", Pressed = true })).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("w");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Clear", Pressed = true })).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(progress).ToHaveTextAsync($"Judged by e2e: 1 of {PairCount()}");
        await Assertions.Expect(prompt.GetByText(PairKey())).Not.ToHaveTextAsync(firstPair);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Left better", Pressed = false })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Keyboard_DigitsTypedInRationale_StayTextAndCtrlEnterSubmitsThenUndoBringsItBack()
    {
        var (page, progress) = await OpenAsync("e2e-typing");
        var rationale = page.GetByLabel("Rationale (optional)");
        var firstPair = await page.GetByRole(AriaRole.Region, new() { Name = "Prompt" }).GetByText(PairKey()).InnerTextAsync();

        await page.Keyboard.PressAsync("3");
        await rationale.ClickAsync();
        await page.Keyboard.TypeAsync("1 and 2 say the same");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Left better", Pressed = true })).ToHaveCountAsync(0);
        await page.Keyboard.PressAsync("Control+Enter");
        await Assertions.Expect(progress).ToHaveTextAsync($"Judged by e2e-typing: 1 of {PairCount()}");
        await page.Keyboard.PressAsync("u");

        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Prompt" }).GetByText(PairKey())).ToHaveTextAsync(firstPair);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Tie", Pressed = true })).ToBeVisibleAsync();
        await Assertions.Expect(rationale).ToHaveValueAsync("1 and 2 say the same");
        await Assertions.Expect(progress).ToHaveTextAsync($"Judged by e2e-typing: 1 of {PairCount()}");
    }

    [Fact]
    public async Task SignedOut_JudgingPage_GoesToSignInAndBackAfterwards()
    {
        await app.NewSignedInPageAsync("e2e-return");
        var page = await app.NewPageAsync();
        var address = $"{app.BaseUrl}/annotate/{Uri.EscapeDataString(Workspace)}";
        await page.GotoAsync(address);
        Assert.Contains("/account/login?ReturnUrl=", page.Url, StringComparison.Ordinal);

        await page.GetByLabel("User name").FillAsync("e2e-return");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(WebAppFixture.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await page.WaitForURLAsync(url => url.Contains("/annotate/", StringComparison.Ordinal));
        Assert.Equal(Uri.UnescapeDataString(address), Uri.UnescapeDataString(page.Url));
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(new Regex($@"^Judged by e2e-return: 0 of {PairCount()}$"), new() { Timeout = 60_000 });
    }

    [Fact]
    public async Task ScriptInResponse_RendersAsTextAndNeverRuns()
    {
        const string Hostile = "e2e hostile";
        await app.ImportWorkspaceAsync(Hostile, JsonSerializer.Serialize(new
        {
            prompt = "Say <b>hi</b>",
            chosen = "<script>window.pwned = 'script'</script> **fine**",
            rejected = "<img src=x onerror=\"window.pwned = 'img'\"> [link](javascript:window.pwned='link')",
        }));

        var (page, _) = await OpenAsync("e2e-hostile", Hostile, 1);

        await Assertions.Expect(page.GetByText("<script>window.pwned = 'script'</script>")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("<img src=x")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Prompt" }).GetByText("Say <b>hi</b>")).ToBeVisibleAsync();
        Assert.Equal("#", await page.GetByRole(AriaRole.Link, new() { Name = "link", Exact = true }).GetAttributeAsync("href"));
        Assert.Equal(0, await page.Locator("section script, section img").CountAsync());
        Assert.Null(await page.EvaluateAsync<string?>("() => window.pwned ?? null"));
    }

    [Fact]
    public async Task TwoAnnotatorsAtOnce_JudgingOneWorkspaceByKeyboard_LoseNoJudgment()
    {
        const string Shared = "e2e shared";
        const int Pairs = 6, Each = 4;
        await app.ImportWorkspaceAsync(Shared, NumberedPairs(Pairs));
        var annotators = new[] { "e2e-left", "e2e-right" };
        var pages = await Task.WhenAll(annotators.Select(a => OpenAsync(a, Shared, Pairs)));

        await Task.WhenAll(pages.Select(async (opened, index) =>
        {
            for (var judged = 0; judged < Each; judged++)
            {
                await opened.Page.Keyboard.PressAsync(index == 0 ? "1" : "4");
                await opened.Page.Keyboard.PressAsync("e");
                await opened.Page.Keyboard.PressAsync("Enter");
                await Assertions.Expect(opened.Progress).ToHaveTextAsync($"Judged by {annotators[index]}: {judged + 1} of {Pairs}");
            }
        }));

        var stored = await QueryAsync(db => db.Judgments
            .Where(j => db.PreferencePairs.Any(p => p.Id == j.PairId && db.Workspaces.Any(w => w.Id == p.WorkspaceId && w.Name == Shared)) && j.AnnotatorId != Judgment.ImportAnnotator)
            .Select(j => new { j.AnnotatorId, j.PairId, j.Verdict, j.SecondsSpent }).ToListAsync());
        foreach (var annotator in annotators)
        {
            var theirs = stored.Where(j => j.AnnotatorId == annotator).ToList();
            Assert.Equal(Each, theirs.Count);
            Assert.Equal(Each, theirs.Select(j => j.PairId).Distinct().Count());
            Assert.All(theirs, j => Assert.True(j.SecondsSpent > 0, $"{annotator}'s judgment of pair {j.PairId} has no time spent."));
        }
        Assert.All(stored.Where(j => j.AnnotatorId == "e2e-right"), j => Assert.Equal(Verdict.BothBad, j.Verdict));
    }

    [Fact]
    public async Task Reload_RationaleBeingTyped_IsPutBackAndSkippingAsksFirst()
    {
        var (page, progress) = await OpenAsync("e2e-reload");
        var pairKey = page.GetByRole(AriaRole.Region, new() { Name = "Prompt" }).GetByText(PairKey());
        var firstPair = await pairKey.InnerTextAsync();
        var rationale = page.GetByLabel("Rationale (optional)");
        await rationale.ClickAsync();
        await page.Keyboard.TypeAsync("the left one forgets the lockout");

        await page.ReloadAsync();

        await Assertions.Expect(progress).ToHaveTextAsync($"Judged by e2e-reload: 0 of {PairCount()}", new() { Timeout = 60_000 });
        await Assertions.Expect(pairKey).ToHaveTextAsync(firstPair);
        await Assertions.Expect(rationale).ToHaveValueAsync("the left one forgets the lockout");

        await page.Keyboard.PressAsync("s");
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("not saved");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Skip and discard" })).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(pairKey).ToHaveTextAsync(firstPair);
        await Assertions.Expect(rationale).ToHaveValueAsync("the left one forgets the lockout");
        await page.Keyboard.PressAsync("s");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(pairKey).Not.ToHaveTextAsync(firstPair);
        await Assertions.Expect(rationale).ToHaveValueAsync("");
        await Assertions.Expect(progress).ToHaveTextAsync($"Judged by e2e-reload: 0 of {PairCount()}");
    }

    [Fact]
    public async Task BetterAnswer_ByKeyboard_IsStoredAsEditedChosenOverTheOriginalAndAnSftExample()
    {
        const string Rewrites = "e2e rewrites";
        await app.ImportWorkspaceAsync(Rewrites, NumberedPairs(1));
        var (page, _) = await OpenAsync("e2e-writer", Rewrites, 1);
        var right = await page.GetByRole(AriaRole.Region, new() { Name = "Right response" }).Locator(".markdown").InnerTextAsync();

        await page.Keyboard.PressAsync("r");
        var editor = page.GetByRole(AriaRole.Textbox, new() { Name = "Better answer" });
        await Assertions.Expect(editor).ToBeVisibleAsync();
        await Assertions.Expect(editor).ToHaveValueAsync(right.Trim());
        await page.Keyboard.PressAsync("End");
        await page.Keyboard.TypeAsync(" Check the seal first, then 1, 2, 3.");
        await page.GetByLabel("Also save as an SFT example (submitted for review)").CheckAsync();
        await editor.FocusAsync();
        await page.Keyboard.PressAsync("Control+Enter");

        await Assertions.Expect(page.GetByText(new Regex("^Saved as pair pair-"))).ToBeVisibleAsync();
        await Assertions.Expect(editor).ToHaveCountAsync(0);
        var (edited, example) = await QueryAsync(async db =>
        {
            var workspace = await db.Workspaces.SingleAsync(w => w.Name == Rewrites);
            return (await db.PreferencePairs.SingleAsync(p => p.WorkspaceId == workspace.Id && p.AuthorId == "e2e-writer"),
                await db.SftExamples.SingleAsync(e => e.WorkspaceId == workspace.Id));
        });
        Assert.Equal(right.Trim() + " Check the seal first, then 1, 2, 3.", edited.ResponseA.Text);
        Assert.Equal(ResponseOrigin.Edited, edited.ResponseA.Origin);
        Assert.Equal(right.Trim(), edited.ResponseB.Text);
        Assert.Equal((SftStatus.Submitted, "e2e-writer"), (example.Status, example.AuthorId));
    }

    [Fact]
    public async Task JudgingSettings_Annotator_IsRefusedByTheServer()
    {
        var page = await app.NewSignedInPageAsync("e2e-no-settings");

        await page.GotoAsync($"{app.BaseUrl}/annotate/{Uri.EscapeDataString(Workspace)}/settings");

        Assert.Contains("/account/denied", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Screenshots_JudgingPage_InEnglishAndJapanese()
    {
        var (page, _) = await OpenAsync("e2e-screens");
        await page.SetViewportSizeAsync(1280, 900);
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var timer = page.Locator("#item-timer");
        await Assertions.Expect(timer).ToHaveTextAsync(new Regex(@"^\d+:[0-5]\d$"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "annotate.en.png"), FullPage = true });

        await page.GotoAsync($"{app.BaseUrl}/culture/ja?redirectUri={Uri.EscapeDataString($"/annotate/{Uri.EscapeDataString(Workspace)}")}");

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"e2e-screens さんの判定: {PairCount()} 件中 0 件", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "左が良い" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "左の回答" })).ToBeVisibleAsync();
        await Assertions.Expect(timer).ToHaveTextAsync(new Regex(@"^\d+:[0-5]\d$"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "annotate.ja.png"), FullPage = true });
    }

    [GeneratedRegex(@"^Pair \S+$")]
    private static partial Regex PairKey();
}
