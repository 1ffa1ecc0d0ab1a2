using System.Text.Json;

namespace AnnotateDpo.Cli.Tests;

public sealed class BenchStatsCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("annotatedpo-bench-stats-").FullName;

    [Fact]
    public async Task BenchStats_SmallWorkspace_WritesTheRequestedSizeAndPrintsThePageTimes()
    {
        var bench = await CliRunner.RunAsync("bench", "stats", "--pairs", "300", "--judgments", "1000", "--keep", _folder);
        var stats = await CliRunner.RunAsync("stats", "--db", Path.Combine(_folder, "stats.db"), "--workspace", "bench", "--json");

        Assert.True(bench.ExitCode == 0, bench.StdErr);
        Assert.Contains("300 pairs, 1,000 judgments", bench.StdOut, StringComparison.Ordinal);
        Assert.Contains("coverage page model: first ", bench.StdOut, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(stats.StdOut);
        var counts = json.RootElement.GetProperty("counts");
        Assert.Equal(300, counts.GetProperty("pairs").GetProperty("total").GetInt32());
        Assert.Equal(8, counts.GetProperty("categories").EnumerateArray().Count(c => c.GetProperty("name").ValueKind == JsonValueKind.String));
        Assert.InRange(counts.GetProperty("latestJudgments").GetInt32(), 600, 999);
    }

    [Fact]
    public async Task BenchStats_FewerJudgmentsThanTwoPerPair_Exit2SaysSo()
    {
        var run = await CliRunner.RunAsync("bench", "stats", "--pairs", "100", "--judgments", "150", "--keep", _folder);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--judgments must be at least twice --pairs", run.StdErr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
