namespace AnnotateDpo.Cli.Tests;

public sealed class BenchBrowseCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("annotatedpo-bench-browse-").FullName;

    [Fact]
    public async Task BenchBrowse_SmallWorkspace_FillsSearchColumnsAndTimesEveryQueryTwice()
    {
        var run = await CliRunner.RunAsync("bench", "browse", "--pairs", "400", "--judgments", "1000", "--keep", _folder);

        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Contains("400 pairs, 1,000 judgments written", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("search columns of 880 rows filled", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("round 1: first page, no filter: ", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("(25 rows of 400)", run.StdOut, StringComparison.Ordinal);
        // '問題 4242 は' is in no pair of 400; 'seal kit' is one of eight steps, so some pairs have it.
        Assert.Matches(@"round 2: search '問題 4242 は': \d+ ms \(0 rows of 0\)", run.StdOut);
        Assert.Matches(@"round 2: search 'seal kit': \d+ ms \(25 rows of [1-9]\d*\)", run.StdOut);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
