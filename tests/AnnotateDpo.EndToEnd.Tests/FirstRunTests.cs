using System.Text.Json;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AnnotateDpo.EndToEnd.Tests;

/// <summary>The life of a fresh installation: setup, an invitation, the invited annotator's first work, its review and export.</summary>
[Collection(FirstRunCollection.Name)]
public sealed class FirstRunTests(FirstRunAppFixture app)
{
    private static readonly string Workspace = JsonDocument.Parse(File.ReadLines(
            Path.Combine(WebAppFixture.RepositoryRoot, "seed-data", "workspaces", "support-desk.en.annotatedpo.jsonl")).First())
        .RootElement.GetProperty("name").GetString()!;

    [Fact]
    public async Task FreshInstall_SetupInviteJudgingAndSftReview_StoresAndExportsTheAnnotatorsWork()
    {
        var admin = await app.NewPageAsync();
        await admin.GotoAsync(app.BaseUrl);
        Assert.EndsWith("/setup", admin.Url, StringComparison.Ordinal);
        await admin.GetByLabel("User name").FillAsync("root");
        await admin.GetByLabel("Password", new() { Exact = true }).FillAsync("first-admin-password");
        await admin.GetByLabel("Repeat the password").FillAsync("first-admin-password");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create administrator" }).ClickAsync();
        // The first circuit of a fresh app starts slowly on a busy 2-core machine: a wait, not a speed target.
        await Assertions.Expect(admin.GetByTestId("signed-in-user")).ToHaveTextAsync("root", new() { Timeout = 60_000 });

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

        // The veteran writes one SFT example and submits it; the admin, who is also a manager, approves it.
        const string Question = "The conveyor alarm E-417 keeps coming back after a reset. What should I check?";
        const string Answer = "Check the belt tension sensor wiring first: E-417 returns when the sensor reads open circuit.";
        await veteran.GotoAsync($"{app.BaseUrl}/sft/{Uri.EscapeDataString(Workspace)}");
        await veteran.GetByLabel("Turn 1: User").FillAsync(Question, new() { Timeout = 60_000 });
        await veteran.GetByLabel("Turn 2: Assistant").FillAsync(Answer);
        await Assertions.Expect(veteran.GetByTestId("save-state")).ToContainTextAsync("Draft saved at");
        await Assertions.Expect(veteran.GetByRole(AriaRole.Button, new() { Name = "Submit for review" })).ToBeEnabledAsync();
        await veteran.GetByRole(AriaRole.Button, new() { Name = "Submit for review" }).ClickAsync();
        await Assertions.Expect(veteran.GetByTestId("my-example").Filter(new() { HasText = "The conveyor alarm E-417" })).ToContainTextAsync("Submitted");
        var submitted = await db.SftExamples.AsNoTracking().SingleAsync(e => e.AuthorId == "veteran");
        Assert.Equal(SftStatus.Submitted, submitted.Status);

        await admin.GotoAsync($"{app.BaseUrl}/review/{Uri.EscapeDataString(Workspace)}");
        var card = admin.GetByTestId($"review-{submitted.Key}");
        await Assertions.Expect(card).ToContainTextAsync(Answer, new() { Timeout = 60_000 });
        await card.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();
        await Assertions.Expect(card).ToHaveCountAsync(0);

        var approved = await db.SftExamples.AsNoTracking().SingleAsync(e => e.Id == submitted.Id);
        Assert.Equal((SftStatus.Approved, "root"), (approved.Status, approved.ReviewedBy));
        var exportFolder = Path.Combine(Path.GetDirectoryName(app.DatabaseFile)!, "export");
        var export = await CliProcess.RunAsync("export", "--db", app.DatabaseFile, "--workspace", Workspace, "--format", "csv", "--out", exportFolder);
        Assert.True(export.ExitCode == 0, export.StdErr);
        var sftCsv = await File.ReadAllTextAsync(Path.Combine(exportFolder, "sft.csv"));
        Assert.Contains(Question, sftCsv, StringComparison.Ordinal);
        Assert.Contains(Answer, sftCsv, StringComparison.Ordinal);

        // An annotator is refused the manager's pages by the server, not only by a hidden link.
        var refused = await veteran.GotoAsync($"{app.BaseUrl}/coverage/{Uri.EscapeDataString(Workspace)}");
        Assert.Equal(403, refused!.Status);
        var usersRefused = await veteran.GotoAsync($"{app.BaseUrl}/admin/users");
        Assert.Equal(403, usersRefused!.Status);
        var reviewRefused = await veteran.GotoAsync($"{app.BaseUrl}/review/{Uri.EscapeDataString(Workspace)}");
        Assert.Equal(403, reviewRefused!.Status);
    }
}
