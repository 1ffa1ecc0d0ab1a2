using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace AnnotateDpo.EndToEnd.Tests;

[Collection(WebAppCollection.Name)]
public sealed partial class AnnotatePageTests(WebAppFixture app)
{
    private static readonly string Workspace = JsonDocument.Parse(File.ReadLines(
            Path.Combine(WebAppFixture.RepositoryRoot, "seed-data", "workspaces", "support-desk.en.annotatedpo.jsonl")).First())
        .RootElement.GetProperty("name").GetString()!;

    /// <summary>Opens the page signed in as the annotator and waits for the first pair, which appears once the shortcuts listen.</summary>
    private async Task<(IPage Page, ILocator Progress)> OpenAsync(string annotator)
    {
        var page = await app.NewSignedInPageAsync(annotator);
        await page.GotoAsync($"{app.BaseUrl}/annotate/{Uri.EscapeDataString(Workspace)}");
        var progress = page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Judged by {annotator}" });
        // The circuit takes a few seconds to start on a busy 2-core machine: a wait, not a speed target.
        await Assertions.Expect(progress).ToHaveTextAsync($"Judged by {annotator}: 0 of {PairCount()}", new() { Timeout = 60_000 });
        return (page, progress);
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

    [GeneratedRegex(@"^Pair \S+$")]
    private static partial Regex PairKey();
}
