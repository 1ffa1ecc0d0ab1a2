using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AnnotateDpo.Core;
using AnnotateDpo.Core.Import;
using AnnotateDpo.Core.Statistics;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Training.Tokenization;
using AnnotateDpo.Web.Features.Coverage;
using Microsoft.Extensions.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MudBlazor.Services;

namespace AnnotateDpo.Web.Tests.Features.Coverage;

/// <summary>The dashboard over a real SQLite file holding the Japanese demo workspace, imported as a user would.</summary>
public sealed class CoveragePageTests : BunitContext, IAsyncLifetime
{
    private const string Workspace = "プレス設備保全";
    private readonly string _folder = Directory.CreateTempSubdirectory("annotatedpo-coverage-").FullName;
    private string Database => Path.Combine(_folder, "coverage.db");

    public async Task InitializeAsync()
    {
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Database"] = Database })
            .Build());
        Services.AddAnnotateCore();
        Services.AddLogging();
        Services.AddCoverageFeature();
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;

        await Services.GetRequiredService<AnnotateDbContextFactory>().MigrateAsync();
        var seed = Path.Combine(RepositoryRoot(), "seed-data", "workspaces", "press-line-maintenance.ja.annotatedpo.jsonl");
        await Services.GetRequiredService<ImportService>().ImportAsync(Workspace, [seed], new ImportOptions());
    }

    /// <summary>The report's bootstraps take seconds on a busy 2-core machine: a wait for the render, not a speed target.</summary>
    private static readonly TimeSpan ReportWait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task CoveragePage_SeededWorkspace_ShowsCategoriesAlphaAndReadiness()
    {
        var stats = await Services.GetRequiredService<WorkspaceStatsService>().GetAsync(Workspace);
        var quality = await Services.GetRequiredService<QualityReportService>().GetAsync(Workspace);

        var page = Render<CoveragePage>(p => p.Add(c => c.Workspace, Workspace));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=alpha]")), ReportWait);
        Assert.Equal(quality.Agreement.KrippendorffAlpha.Value!.Value.ToString("F3", CultureInfo.InvariantCulture),
            page.Find("[data-testid=alpha]").TextContent.Trim());
        var coverageRows = page.FindAll("caption")
            .Single(c => c.TextContent.StartsWith("SFT examples and resolved pairs", StringComparison.Ordinal))
            .ParentElement!.QuerySelectorAll("tbody tr")
            .Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToArray())
            .ToList();
        var handover = stats.Categories.Single(c => c.Name == "handover");
        Assert.Contains(coverageRows, r => r[0] == "handover" && r[1] == $"{handover.Sft.Approved} / {handover.SftTarget}");
        var furthestBehind = stats.Categories.MinBy(c => (double)c.Sft.Approved / c.SftTarget)!;
        Assert.Equal(furthestBehind.Name, coverageRows[0][0]);
        foreach (var check in new[] { Readiness.ApprovedSft, Readiness.CategoriesCovered, Readiness.ResolvedPairs, Readiness.AnnotatorAgreement, Readiness.PositionBias })
            Assert.Contains(page.FindAll("td"), cell => cell.TextContent.Trim() == check);
        Assert.Contains($"category '{furthestBehind.Name}' has {furthestBehind.Sft.Approved} of {furthestBehind.SftTarget} approved SFT examples",
            page.FindAll("li")[0].TextContent, StringComparison.Ordinal);
        var first = stats.Categories.Single(c => c.Name == coverageRows[0][0]);
        Assert.Equal($"{first.ResolvedOrigins!.Human} / {first.Origins!.Human}", page.FindAll("[data-testid=human-written]")[0].TextContent.Trim());
        Assert.Equal($"{first.ResolvedOrigins.Model} / {first.Origins.Model}", page.FindAll("[data-testid=on-policy]")[0].TextContent.Trim());
        Assert.Equal(stats.Pairs.Total, stats.Categories.Sum(c => c.Origins!.Total));
    }

    [Fact]
    public async Task CoveragePage_SeededWorkspace_ShowsTagHeatMapSwapConsistencyAndLinkedReadiness()
    {
        var stats = await Services.GetRequiredService<WorkspaceStatsService>().GetAsync(Workspace);
        var annotators = await Services.GetRequiredService<AnnotatorReportService>().GetAsync(Workspace);

        var page = Render<CoveragePage>(p => p.Add(c => c.Workspace, Workspace));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=alpha]")), ReportWait);
        var heatMap = page.FindAll("caption").Single(c => c.TextContent.StartsWith("Tags per category", StringComparison.Ordinal)).ParentElement!;
        var cell = stats.Tags!.First(t => t.Category is not null);
        var columns = heatMap.QuerySelectorAll("thead th").Select(h => h.TextContent.Trim()).ToList();
        var row = heatMap.QuerySelectorAll("tbody tr").Single(r => r.QuerySelector("th")!.TextContent.Trim() == cell.Category);
        Assert.Equal($"{cell.Sft} / {cell.Pairs}", row.Children[columns.IndexOf(cell.Tag)].TextContent.Trim());
        Assert.Contains("background", row.Children[columns.IndexOf(cell.Tag)].GetAttribute("style"), StringComparison.Ordinal);
        Assert.Equal(CoverageFormat.Percent(annotators.PositionSwap!.Share), page.Find("[data-testid=position-swap]").TextContent.Trim());
        var categoriesLink = page.FindAll("a").Single(a => a.TextContent.Trim() == Readiness.CategoriesCovered);
        var anchor = categoriesLink.GetAttribute("href")!.Split('#')[1];
        Assert.NotNull(page.Find($"[id='{anchor}']"));
        Assert.NotEqual("—", page.Find("[data-testid=token-difference]").TextContent.Trim());
    }

    [Fact]
    public async Task CoveragePage_DemoTokenizerRegistered_ShowsTheMeanLengthDifferenceInItsTokens()
    {
        using var tokenizer = HfTokenizer.Load(Path.Combine(RepositoryRoot(), "seed-data", "models", "demo-tiny"));
        var expected = await new QualityReportService(Services.GetRequiredService<AnnotateDbContextFactory>(),
            new TokenCounter("demo-tiny", text => tokenizer.Encode(text).Length)).GetAsync(Workspace);
        var characters = await new QualityReportService(Services.GetRequiredService<AnnotateDbContextFactory>()).GetAsync(Workspace);

        var page = Render<CoveragePage>(p => p.Add(c => c.Workspace, Workspace));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=token-difference]")), ReportWait);
        Assert.NotNull(expected.Length.MeanTokenDifference);
        Assert.Null(characters.Length.MeanTokenDifference);
        Assert.Equal(expected.Length.MeanTokenDifference!.Value.ToString("+0.0;-0.0;0", CultureInfo.CurrentCulture),
            page.Find("[data-testid=token-difference]").TextContent.Trim());
    }

    [Fact]
    public async Task CoverageCsv_SeededWorkspace_HoldsEveryHeadlineNumberInInvariantCulture()
    {
        var report = await Services.GetRequiredService<CoverageService>().GetAsync(Workspace);

        var rows = CoverageCsv.Write(report).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(r => r.Split(',')).ToList();

        Assert.Equal(CoverageCsv.Header, rows[0]);
        string Value(string section, string subject, string measure) =>
            rows.Single(r => r[0] == section && r[1] == subject && r[2] == measure)[3];
        Assert.Equal(report.Quality.Agreement.KrippendorffAlpha.Value!.Value, double.Parse(Value("agreement", "(all)", "krippendorff_alpha"), CultureInfo.InvariantCulture));
        Assert.Equal(report.Stats.Pairs.Resolved.ToString(CultureInfo.InvariantCulture), Value("coverage", "(workspace)", "pairs_resolved"));
        Assert.Equal(report.Quality.Position.LeftShare, double.Parse(Value("bias", "(all)", "left_share"), CultureInfo.InvariantCulture));
        Assert.Equal(report.Categories.Count * 7 + 4, rows.Count(r => r[0] == "coverage"));
        Assert.Equal(report.Readiness.Count, rows.Count(r => r[0] == "readiness"));
        Assert.Equal(report.Categories.Count * 6, rows.Count(r => r[0] == "origin"));
    }

    [Fact]
    public async Task CoveragePage_JapaneseCulture_ShowsJapaneseHeadingsAndTheSameNumbers()
    {
        var quality = await Services.GetRequiredService<QualityReportService>().GetAsync(Workspace);
        var report = await Services.GetRequiredService<CoverageService>().GetAsync(Workspace);
        var approved = report.Readiness.Single(c => c.Item == ReadinessItem.ApprovedSft);
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("ja-JP");
        try
        {
            var page = Render<CoveragePage>(p => p.Add(c => c.Workspace, Workspace));

            page.WaitForAssertion(() => Assert.True(page.FindAll("[data-testid=alpha]").Count > 0, page.Markup), ReportWait);
            Assert.Contains(page.FindAll("h5"), h => h.TextContent.Trim() == "学習の準備状況");
            Assert.Contains(page.FindAll("h5"), h => h.TextContent.Trim() == "一致度");
            Assert.Equal(CoverageFormat.Value(quality.Agreement.KrippendorffAlpha.Value), page.Find("[data-testid=alpha]").TextContent.Trim());
            // The checklist's facts in the Japanese sentences of the resources, with the same numbers.
            var readiness = page.FindAll("tr").Single(r => r.QuerySelector("a")?.TextContent.Trim() == "承認済みの SFT 例");
            Assert.Equal($"承認済み {approved.Arguments[0]:N0} 件／必要 {approved.Arguments[1]:N0} 件", readiness.QuerySelectorAll("td")[2].TextContent.Trim());
            Assert.DoesNotContain("approved SFT examples", page.Find("ol").TextContent, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public async Task CoverageWarmup_AppStarted_FoldsEveryJudgmentBeforeTheFirstVisit()
    {
        await using (var before = Services.GetRequiredService<AnnotateDbContextFactory>().CreateDbContext())
            Assert.Equal(0, (await before.StatisticsWatermarks.SingleAsync()).JudgmentId);
        var warmup = Services.GetServices<IHostedService>().OfType<CoverageWarmup>().Single();

        await warmup.StartAsync(CancellationToken.None);
        await warmup.ExecuteTask!;
        await warmup.StopAsync(CancellationToken.None);

        await using var db = Services.GetRequiredService<AnnotateDbContextFactory>().CreateDbContext();
        Assert.Equal(await db.Judgments.MaxAsync(j => j.Id), (await db.StatisticsWatermarks.SingleAsync()).JudgmentId);
        Assert.Equal(await db.PreferencePairs.CountAsync(p => p.Judgments.Any()), await db.PairVoteSummaries.CountAsync());
    }

    [Fact]
    public void CoveragePage_UnknownWorkspace_SaysSo()
    {
        var page = Render<CoveragePage>(p => p.Add(c => c.Workspace, "no such workspace"));

        page.WaitForAssertion(() => Assert.Contains("no such workspace", page.Find(".mud-alert").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CoverageService_SeededWorkspace_EqualsTheNumbersOfStatsJson()
    {
        var report = await Services.GetRequiredService<CoverageService>().GetAsync(Workspace);

        var cli = await RunCliAsync("stats", "--db", Database, "--workspace", Workspace, "--json");

        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Assert.True(JsonNode.DeepEquals(cli["counts"], JsonSerializer.SerializeToNode(report.Stats, json)), "counts differ from the CLI's");
        Assert.True(JsonNode.DeepEquals(cli["quality"], JsonSerializer.SerializeToNode(report.Quality, json)), "quality differs from the CLI's");
        var page = Render<CoveragePage>(p => p.Add(c => c.Workspace, Workspace));
        page.WaitForAssertion(() => Assert.Equal(
            cli["quality"]!["agreement"]!["krippendorffAlpha"]!["value"]!.GetValue<double>().ToString("F3", CultureInfo.InvariantCulture),
            page.Find("[data-testid=alpha]").TextContent.Trim()));
    }

    /// <summary>Runs the built <c>annotatedpo</c> (the reference in the project file builds it first) and parses its output.</summary>
    private static async Task<JsonNode> RunCliAsync(params string[] args)
    {
        var cli = Path.Combine(RepositoryRoot(), "src", "AnnotateDpo.Cli", "bin", BuildConfiguration, "net10.0", "annotatedpo.dll");
        var start = new ProcessStartInfo("dotnet", [cli, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
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

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AnnotateDpo.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("AnnotateDpo.sln not found above the test output.");
    }

    /// <summary>MudBlazor's key interceptor (behind MudChip) only disposes asynchronously, so the container goes first.</summary>
    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        AnnotateDbContextFactory.ClearSqlitePools();
        Directory.Delete(_folder, recursive: true);
    }
}
