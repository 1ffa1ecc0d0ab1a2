using System.Text.Json;

namespace AnnotateDpo.Cli.Tests;

public sealed class CurationCommandsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("annotatedpo-cli-").FullName;

    private string Db => Path.Combine(_folder, "cli.db");

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task Import_ThenStatsJson_CountsTheRows()
    {
        var pairs = Write("pairs.jsonl",
            """
            {"prompt":"油圧が下がる","chosen":"LOTO を実施してから点検します。","rejected":"そのまま運転します。","category":"hydraulics"}
            {"prompt":"異音がする","chosen":"停止して軸受を確認します。","rejected":"音楽で消します。","category":"hydraulics"}
            """);
        var sft = Write("sft.jsonl",
            """
            {"messages":[{"role":"user","content":"金型の清掃頻度は？"},{"role":"assistant","content":"毎シフト終了時です。"}],"category":"die"}
            """);

        var import = await CliRunner.RunAsync("import", "--db", Db, "--workspace", "press", pairs, sft);
        var stats = await CliRunner.RunAsync("stats", "--db", Db, "--workspace", "press", "--json");

        Assert.True(import.ExitCode == 0, import.StdErr);
        Assert.Contains("imported 1 SFT examples, 2 pairs", import.StdOut);
        Assert.True(stats.ExitCode == 0, stats.StdErr);
        using var json = JsonDocument.Parse(stats.StdOut);
        Assert.Equal(2, json.RootElement.GetProperty("counts").GetProperty("pairs").GetProperty("resolved").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("counts").GetProperty("sft").GetProperty("approved").GetInt32());
    }

    [Fact]
    public async Task Import_BadRow_ExitsTwoWithEveryRowErrorAndImportsNothing()
    {
        var pairs = Write("bad.jsonl",
            """
            {"prompt":"ok","chosen":"good","rejected":"bad"}
            {"prompt":"missing chosen","rejected":"bad"}
            {"prompt":"","chosen":"good","rejected":"bad"}
            """);

        var import = await CliRunner.RunAsync("import", "--db", Db, "--workspace", "press", pairs);
        var stats = await CliRunner.RunAsync("stats", "--db", Db, "--workspace", "press");

        Assert.Equal(2, import.ExitCode);
        Assert.Contains("bad.jsonl: line 2: chosen:", import.StdErr);
        Assert.Contains("bad.jsonl: line 3: prompt", import.StdErr);
        Assert.Equal(2, stats.ExitCode);
        Assert.Contains("does not exist", stats.StdErr);
    }

    [Fact]
    public async Task Snapshot_ThenExportTrl_WritesTheTrlFilesAndTheSameHashTwice()
    {
        var lines = Enumerable.Range(1, 10).Select(i =>
            $$"""{"prompt":"question {{i}}","chosen":"good answer {{i}}","rejected":"bad answer {{i}}"}""");
        var pairs = Write("pairs.jsonl", string.Join('\n', lines));
        await CliRunner.RunAsync("import", "--db", Db, "--workspace", "press", pairs);

        var first = await CliRunner.RunAsync("snapshot", "--db", Db, "--workspace", "press", "--eval-fraction", "0.2", "--seed", "3");
        var second = await CliRunner.RunAsync("snapshot", "--db", Db, "--workspace", "press", "--eval-fraction", "0.2", "--seed", "3");
        var id = first.StdOut.Split(' ')[1];
        var outFolder = Path.Combine(_folder, "trl");
        var export = await CliRunner.RunAsync("export", "--db", Db, "--workspace", "press", "--format", "trl", "--snapshot", id, "--out", outFolder);

        Assert.True(first.ExitCode == 0, first.StdErr);
        Assert.Equal(first.StdOut.Split('\n')[0].Split(' ')[2], second.StdOut.Split('\n')[0].Split(' ')[2]);
        Assert.Contains("unchanged", second.StdOut);
        Assert.True(export.ExitCode == 0, export.StdErr);
        Assert.Equal(8, File.ReadAllLines(Path.Combine(outFolder, "preference_train.jsonl")).Length);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(outFolder, "preference_eval.jsonl")).Length);
        Assert.True(File.Exists(Path.Combine(outFolder, "dataset_card.md")));
    }

    [Fact]
    public async Task ExportTrl_SnapshotOfAnotherWorkspace_ExitsTwo()
    {
        var pairs = Write("pairs.jsonl", """{"prompt":"q","chosen":"good","rejected":"bad"}""");
        await CliRunner.RunAsync("import", "--db", Db, "--workspace", "press", pairs);
        await CliRunner.RunAsync("import", "--db", Db, "--workspace", "other", Write("sft.jsonl", """{"prompt":"q","completion":"a"}"""));
        var snapshot = await CliRunner.RunAsync("snapshot", "--db", Db, "--workspace", "press");

        var export = await CliRunner.RunAsync("export", "--db", Db, "--workspace", "other", "--format", "trl",
            "--snapshot", snapshot.StdOut.Split(' ')[1], "--out", Path.Combine(_folder, "trl"));

        Assert.Equal(2, export.ExitCode);
        Assert.Contains("is not a snapshot of workspace 'other'", export.StdErr);
    }

    [Fact]
    public async Task Snapshot_BadEvalFraction_ExitsTwoNamingTheSetting()
    {
        var result = await CliRunner.RunAsync("snapshot", "--db", Db, "--workspace", "press", "--eval-fraction", "1.5");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("eval-fraction", result.StdErr);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
