using System.Text.Json;
using AnnotateDpo.Core.Accounts;
using Microsoft.Playwright;

namespace AnnotateDpo.EndToEnd.Tests;

[Collection(WebAppCollection.Name)]
public sealed class SftAndReviewPageTests(WebAppFixture app)
{
    private static readonly string Workspace = JsonDocument.Parse(File.ReadLines(
            Path.Combine(WebAppFixture.RepositoryRoot, "seed-data", "workspaces", "press-line-maintenance.ja.annotatedpo.jsonl")).First())
        .RootElement.GetProperty("name").GetString()!;

    private const string Question = "油圧ユニットの **圧力が上がらない** ときは?";

    private string SftUrl => $"{app.BaseUrl}/sft/{Uri.EscapeDataString(Workspace)}";

    private string ReviewUrl => $"{app.BaseUrl}/review/{Uri.EscapeDataString(Workspace)}";

    [Fact]
    public async Task Review_AnnotatorsRequest_IsRefusedByTheServer()
    {
        var page = await app.NewSignedInPageAsync("e2e-sft-annotator");

        var response = await page.GotoAsync(ReviewUrl);

        Assert.Equal(403, response!.Status);
    }

    [Fact]
    public async Task SftEditor_TypedThenReloaded_KeepsTheDraft()
    {
        var page = await app.NewSignedInPageAsync("e2e-sft-reload");
        await page.GotoAsync(SftUrl);
        var question = page.GetByLabel("Turn 1: User");
        var answer = page.GetByLabel("Turn 2: Assistant");

        await question.FillAsync("金型交換のあと、最初の一打で確認することは?", new() { Timeout = 60_000 });
        await answer.FillAsync("下死点の位置とダイハイトの表示値を確認します。");
        // The preview shows the answer in the same render that starts (or joins) its save; "saved" comes after it.
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Preview" })).ToContainTextAsync("ダイハイト");
        await Assertions.Expect(page.GetByTestId("save-state")).ToContainTextAsync("Draft saved at");
        await page.ReloadAsync();

        await Assertions.Expect(question).ToHaveValueAsync("金型交換のあと、最初の一打で確認することは?", new() { Timeout = 60_000 });
        await Assertions.Expect(answer).ToHaveValueAsync("下死点の位置とダイハイトの表示値を確認します。");
        Assert.Contains("?example=", page.Url, StringComparison.Ordinal);
    }

    /// <summary>The editor with a near-duplicate warning and the review queue, in English and in Japanese, for the README and for people to look at.</summary>
    [Fact]
    public async Task Screenshots_SftAndReviewPages_AreSavedInBothLanguages()
    {
        var page = await app.NewSignedInPageAsync("e2e-sft-manager", AppRoles.Manager);
        await page.SetViewportSizeAsync(1400, 1000);
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);

        await page.GotoAsync(SftUrl);
        await page.GetByLabel("Turn 1: User").FillAsync(Question, new() { Timeout = 60_000 });
        await page.GetByLabel("Turn 2: Assistant").FillAsync("1. 吸込みストレーナの詰まり\n2. リリーフ弁の設定圧\n\n作業前に必ず **ロックアウト** を行います。");
        await Assertions.Expect(page.GetByTestId("save-state")).ToContainTextAsync("Draft saved at");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit for review" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("my-example")).ToContainTextAsync("Submitted");
        await page.GetByLabel("Turn 1: User").FillAsync(Question);
        await page.GetByLabel("Turn 2: Assistant").FillAsync("1. 吸込みストレーナの詰まり\n2. リリーフ弁の設定圧\n\n作業前に必ず **ロックアウト** を行うこと。");
        await Assertions.Expect(page.GetByTestId("duplicate-warning")).ToContainTextAsync("Near-duplicate of");
        await Assertions.Expect(page.GetByTestId("save-state")).ToContainTextAsync("Draft saved at");
        var nearDuplicateDraft = page.Url;
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "sft.en.png"), FullPage = true });

        await page.GotoAsync(ReviewUrl);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "review.en.png"), FullPage = true });

        await page.GotoAsync($"{app.BaseUrl}/culture/ja?redirectUri={Uri.EscapeDataString("/review/" + Uri.EscapeDataString(Workspace))}");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "承認", Exact = true }).First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "review.ja.png"), FullPage = true });

        await page.GotoAsync(nearDuplicateDraft);
        await Assertions.Expect(page.GetByTestId("duplicate-warning")).ToContainTextAsync("ほぼ重複", new() { Timeout = 60_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "sft.ja.png"), FullPage = true });

        Assert.All(["sft.en.png", "review.en.png", "review.ja.png", "sft.ja.png"], name => Assert.True(new FileInfo(Path.Combine(folder, name)).Length > 0, name));
    }
}
