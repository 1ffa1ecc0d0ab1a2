using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
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

    [Fact]
    public async Task CoveragePage_DemoWorkspace_ShowsTheNumbersOfStatsJsonAndExportsThemAsCsvAndAOnePageReport()
    {
        var name = SeededWorkspaceName();
        var page = await app.NewSignedInPageAsync("e2e-manager", AppRoles.Manager);
        await page.SetViewportSizeAsync(1280, 900);
        await page.GotoAsync($"{app.BaseUrl}/coverage/{Uri.EscapeDataString(name)}");
        await Assertions.Expect(page.GetByTestId("alpha")).ToBeVisibleAsync(new() { Timeout = 60_000 });

        var stats = await StatsJsonAsync(name);

        var quality = stats["quality"]!;
        var counts = stats["counts"]!;
        string Percent(JsonNode? share) => share!.GetValue<double>().ToString("0.0%", CultureInfo.InvariantCulture);
        await Assertions.Expect(page.GetByTestId("alpha")).ToHaveTextAsync(
            quality["agreement"]!["krippendorffAlpha"]!["value"]!.GetValue<double>().ToString("F3", CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByTestId("raw-agreement")).ToHaveTextAsync(Percent(quality["agreement"]!["percentAgreement"]!["value"]));
        await Assertions.Expect(page.GetByTestId("left-share")).ToHaveTextAsync(Percent(quality["position"]!["leftShare"]));
        await Assertions.Expect(page.GetByTestId("longer-chosen")).ToHaveTextAsync(Percent(quality["length"]!["longerChosenShare"]));
        await Assertions.Expect(page.GetByTestId("near-identical")).ToHaveTextAsync(quality["nearIdenticalPairs"]!.ToString());
        await Assertions.Expect(page.GetByTestId("token-difference")).ToHaveTextAsync(
            quality["length"]!["meanTokenDifference"]!.GetValue<double>().ToString("+0.0;-0.0;0", CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByTestId("pairs-resolved")).ToHaveTextAsync(
            $"{counts["pairs"]!["resolved"]} of {counts["pairs"]!["total"]} pairs resolved.");
        var coverage = page.GetByRole(AriaRole.Table, new() { Name = "SFT examples and resolved pairs per category against targets" });
        foreach (var category in counts["categories"]!.AsArray().Where(c => c!["name"] is not null))
        {
            var row = coverage.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Cell, new() { Name = category!["name"]!.GetValue<string>(), Exact = true }) });
            await Assertions.Expect(row.GetByRole(AriaRole.Cell).Nth(1)).ToHaveTextAsync($"{category["sft"]!["approved"]} / {category["sftTarget"]}");
            await Assertions.Expect(row.GetByRole(AriaRole.Cell).Nth(5)).ToHaveTextAsync($"{category["pairs"]!["resolved"]} / {category["pairTarget"]}");
        }
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, "coverage.png"), FullPage = true });

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download CSV" }).ClickAsync());
        var csv = await File.ReadAllLinesAsync(await download.PathAsync(), Encoding.UTF8);
        Assert.Equal("section,subject,measure,value,items,ci_low,ci_high", csv[0]);
        var alphaRow = csv.Single(line => line.StartsWith("agreement,(all),krippendorff_alpha,", StringComparison.Ordinal)).Split(',');
        Assert.Equal(quality["agreement"]!["krippendorffAlpha"]!["value"]!.GetValue<double>(), double.Parse(alphaRow[3], CultureInfo.InvariantCulture));

        await page.GotoAsync($"{app.BaseUrl}/{await page.GetByRole(AriaRole.Link, new() { Name = "Printable one-page report" }).GetAttributeAsync("href")}");
        await Assertions.Expect(page.GetByTestId("report-alpha")).ToHaveTextAsync(
            quality["agreement"]!["krippendorffAlpha"]!["value"]!.GetValue<double>().ToString("F3", CultureInfo.InvariantCulture), new() { Timeout = 60_000 });
        var pdf = Path.Combine(ScreenshotFolder, "coverage-report.pdf");
        await page.PdfAsync(new() { Path = pdf, Format = "A4", PrintBackground = true });
        Assert.Equal(1, PdfPages(await File.ReadAllBytesAsync(pdf)));
    }

    /// <summary>Where the run leaves what a person looks at (the README's screenshot): beside the test assembly.</summary>
    private static string ScreenshotFolder => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    private static string SeededWorkspaceName()
    {
        var seed = Path.Combine(WebAppFixture.RepositoryRoot, "seed-data", "workspaces", "press-line-maintenance.ja.annotatedpo.jsonl");
        return JsonDocument.Parse(File.ReadLines(seed).First()).RootElement.GetProperty("name").GetString()!;
    }

    /// <summary>Pages of a PDF as Chromium writes it: one <c>/Type /Page</c> object each (the tree node is <c>/Pages</c>).</summary>
    private static int PdfPages(byte[] pdf) =>
        System.Text.RegularExpressions.Regex.Matches(Encoding.Latin1.GetString(pdf), @"/Type\s*/Page(?!s)").Count;

    /// <summary>Runs the built <c>annotatedpo stats --json</c> on the app's database.</summary>
    private async Task<JsonNode> StatsJsonAsync(string workspace)
    {
        var cli = Path.Combine(WebAppFixture.RepositoryRoot, "src", "AnnotateDpo.Cli", "bin", BuildConfiguration, "net10.0", "annotatedpo.dll");
        var start = new ProcessStartInfo("dotnet", [cli, "stats", "--db", app.DatabaseFile, "--workspace", workspace, "--json"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start annotatedpo.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"annotatedpo exited with {process.ExitCode}: {await stderr}");
        return JsonNode.Parse(await stdout)!;
    }

#if DEBUG
    private const string BuildConfiguration = "Debug";
#else
    private const string BuildConfiguration = "Release";
#endif
}
