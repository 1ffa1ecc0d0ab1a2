using System.Text.Json;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AnnotateDpo.EndToEnd.Tests;

/// <summary>The life of a fresh installation: setup, an invitation, and the invited annotator's first work.</summary>
[Collection(FirstRunCollection.Name)]
public sealed class FirstRunTests(FirstRunAppFixture app)
{
    private static readonly string Workspace = JsonDocument.Parse(File.ReadLines(
            Path.Combine(WebAppFixture.RepositoryRoot, "seed-data", "workspaces", "support-desk.en.annotatedpo.jsonl")).First())
        .RootElement.GetProperty("name").GetString()!;

    [Fact]
    public async Task FreshInstall_SetupInviteAndKeyboardJudging_StoresTheAnnotatorsJudgments()
    {
        var admin = await app.NewPageAsync();
        await admin.GotoAsync(app.BaseUrl);
        Assert.EndsWith("/setup", admin.Url, StringComparison.Ordinal);
        await admin.GetByLabel("User name").FillAsync("root");
        await admin.GetByLabel("Password", new() { Exact = true }).FillAsync("first-admin-password");
        await admin.GetByLabel("Repeat the password").FillAsync("first-admin-password");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create administrator" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("signed-in-user")).ToHaveTextAsync("root");

        // The setup page is gone once an account exists, for everyone.
        var again = await (await app.NewPageAsync()).GotoAsync($"{app.BaseUrl}/setup");
        Assert.DoesNotContain("/setup", again!.Url, StringComparison.Ordinal);

        await admin.GotoAsync($"{app.BaseUrl}/admin/users");
        // The circuit takes a few seconds to start on a busy 2-core machine: a wait, not a speed target.
        await Assertions.Expect(admin.GetByRole(AriaRole.Cell, new() { Name = "root", Exact = true })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await admin.GetByLabel("User name").FillAsync("veteran");
        await admin.GetByTestId("invite-submit").ClickAsync();
        var oneTimePassword = await admin.GetByTestId("one-time-password").InnerTextAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Cell, new() { Name = "veteran", Exact = true })).ToBeVisibleAsync();

        var veteran = await app.NewPageAsync();
        await app.SignInAsync(veteran, "veteran", oneTimePassword);
        Assert.Contains("/account/password", veteran.Url, StringComparison.Ordinal);
        await veteran.GetByLabel("Current password").FillAsync(oneTimePassword);
        await veteran.GetByLabel("New password").FillAsync("veteran-own-password");
        await veteran.GetByLabel("Repeat the password").FillAsync("veteran-own-password");
        await veteran.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(veteran.GetByTestId("signed-in-user")).ToHaveTextAsync("veteran");

        await veteran.GotoAsync($"{app.BaseUrl}/annotate/{Uri.EscapeDataString(Workspace)}");
        var progress = veteran.GetByRole(AriaRole.Status).Filter(new() { HasText = "Judged by veteran" });
        await Assertions.Expect(progress).ToContainTextAsync("Judged by veteran: 0 of", new() { Timeout = 60_000 });
        string[][] verdicts = [["1", "w"], ["2", "q"], ["3"], ["4"], ["1", "e"]];
        for (var i = 0; i < verdicts.Length; i++)
        {
            foreach (var key in verdicts[i]) await veteran.Keyboard.PressAsync(key);
            await veteran.Keyboard.PressAsync("Enter");
            await Assertions.Expect(progress).ToContainTextAsync($"Judged by veteran: {i + 1} of");
        }

        await using var db = app.Services.GetRequiredService<AnnotateDbContextFactory>().CreateDbContext();
        Assert.Equal(5, await db.Judgments.CountAsync(j => j.AnnotatorId == "veteran"));

        // An annotator is refused the manager's pages by the server, not only by a hidden link.
        var refused = await veteran.GotoAsync($"{app.BaseUrl}/coverage/{Uri.EscapeDataString(Workspace)}");
        Assert.Equal(403, refused!.Status);
        var usersRefused = await veteran.GotoAsync($"{app.BaseUrl}/admin/users");
        Assert.Equal(403, usersRefused!.Status);
    }
}
