using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AnnotateDpo.Core.Import;
using AnnotateDpo.Core.Statistics;
using AnnotateDpo.Core.Storage;

namespace AnnotateDpo.Cli.Commands;

internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Benchmarks; each prints its figures.");
        command.Subcommands.Add(CreateImport());
        command.Subcommands.Add(BenchModelCommand.Create());
        command.Subcommands.Add(BenchTrainCommand.Create());
        command.Subcommands.Add(BenchStatsCommand.Create());
        command.Subcommands.Add(BenchBrowseCommand.Create());
        return command;
    }

    private static Command CreateImport()
    {
        var rows = new Option<int>("--rows") { Description = "Rows per file.", DefaultValueFactory = _ => 100_000 };
        var keep = new Option<string?>("--keep") { Description = "Folder to keep the generated files and databases in (default: a temp folder, deleted)." };
        var command = new Command("import", "Rows/s of JSONL and CSV preference-pair import into SQLite, and the time of the stats query on the result.")
        {
            rows, keep,
        };
        command.SetAction((parse, ct) => CliSupport.RunAsync(async () =>
        {
            var count = parse.GetValue(rows);
            if (count < 1) throw new ArgumentException("--rows must be at least 1.");
            var folder = parse.GetValue(keep) ?? Path.Combine(Path.GetTempPath(), $"annotatedpo-bench-{Guid.NewGuid():N}");
            Directory.CreateDirectory(folder);
            try
            {
                var pairs = SyntheticPairs(count).ToList();
                var jsonl = Path.Combine(folder, "pairs.jsonl");
                var csv = Path.Combine(folder, "pairs.csv");
                await WriteJsonlAsync(jsonl, pairs, ct);
                await WriteCsvAsync(csv, pairs, ct);
                Console.WriteLine($"bench import: {count:N0} preference pairs per file, SQLite, {Environment.ProcessorCount} cores");
                var database = await ImportOnceAsync("JSONL", jsonl, Path.Combine(folder, "jsonl.db"), count, ct);
                await ImportOnceAsync("CSV", csv, Path.Combine(folder, "csv.db"), count, ct);

                var stopwatch = Stopwatch.StartNew();
                var stats = await new WorkspaceStatsService(database).GetAsync("bench", ct);
                Console.WriteLine($"stats query: {stopwatch.Elapsed.TotalMilliseconds:F0} ms over {stats.Pairs.Total:N0} pairs and {stats.LatestJudgments:N0} judgments");
                return ExitCodes.Success;
            }
            finally
            {
                AnnotateDbContextFactory.ClearSqlitePools();
                if (parse.GetValue(keep) is null) Directory.Delete(folder, recursive: true);
            }
        }));
        return command;
    }

    private static async Task<AnnotateDbContextFactory> ImportOnceAsync(string label, string file, string databaseFile, int count, CancellationToken ct)
    {
        var factory = await CliSupport.OpenDatabaseAsync(databaseFile, ct);
        var stopwatch = Stopwatch.StartNew();
        var result = await new ImportService(factory, TimeProvider.System).ImportAsync("bench", [file], new ImportOptions(), ct);
        var seconds = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine($"{label} import: {result.PairsAdded:N0} pairs in {seconds:F1} s = {result.PairsAdded / seconds:N0} rows/s " +
                          $"({new FileInfo(file).Length / 1024.0 / 1024.0:F1} MB file)");
        return factory;
    }

    private sealed record SyntheticPair(string Prompt, string Chosen, string Rejected, string Category);

    /// <summary>Varied, unique Japanese and English rows of realistic length (a few hundred characters each).</summary>
    private static IEnumerable<SyntheticPair> SyntheticPairs(int count)
    {
        string[] subjects = ["油圧ユニット", "サーボプレス", "金型", "安全柵のインターロック", "クラッチブレーキ", "the feeder", "the die cushion", "the lube pump"];
        string[] symptoms = ["異音がする", "圧力が 18 MPa まで下がる", "停止位置がずれる", "warns of over-temperature", "leaks oil at the fitting", "trips the light curtain"];
        string[] steps = ["LOTO を実施し残圧を抜く", "check the filter differential pressure", "作動油の温度と汚染度を測る", "record the fault code and time",
                          "ボルトの締付トルクを確認する", "compare with the last inspection sheet", "ブレーキ角度を測定する", "replace the seal kit"];
        var random = new Random(12345);
        for (var i = 0; i < count; i++)
        {
            var subject = subjects[random.Next(subjects.Length)];
            var symptom = symptoms[random.Next(symptoms.Length)];
            var chosen = new StringBuilder($"まず安全を確保します（#{i}）。");
            for (var s = 0; s < 4 + random.Next(4); s++) chosen.Append(CultureInfo.InvariantCulture, $"\n{s + 1}. {steps[random.Next(steps.Length)]}");
            var rejected = $"{subject} はそのまま運転を続けて様子を見てください。問題 {i} は自然に直ることが多いです。";
            yield return new SyntheticPair($"{subject} が {symptom}。どう対処すべきですか？ (case {i})", chosen.ToString(), rejected, $"category-{i % 8}");
        }
    }

    private static async Task WriteJsonlAsync(string path, IEnumerable<SyntheticPair> pairs, CancellationToken ct)
    {
        var options = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        await using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        foreach (var p in pairs)
            await writer.WriteLineAsync(JsonSerializer.Serialize(new { prompt = p.Prompt, chosen = p.Chosen, rejected = p.Rejected, category = p.Category }, options).AsMemory(), ct);
    }

    /// <summary>With a BOM, as spreadsheet programs write it, so the bench reads what users bring.</summary>
    private static async Task WriteCsvAsync(string path, IEnumerable<SyntheticPair> pairs, CancellationToken ct)
    {
        await using var stream = File.Create(path);
        await stream.WriteAsync(Encoding.UTF8.Preamble.ToArray(), ct);
        await using var csv = CsvHelper.CsvWriter.Create(stream, CsvHelper.CsvWriterOptions.Default, leaveOpen: true);
        foreach (var header in (string[])["prompt", "chosen", "rejected", "category"]) csv.WriteField(header);
        csv.EndRecord();
        foreach (var p in pairs)
        {
            csv.WriteField(p.Prompt);
            csv.WriteField(p.Chosen);
            csv.WriteField(p.Rejected);
            csv.WriteField(p.Category);
            csv.EndRecord();
        }
    }
}
