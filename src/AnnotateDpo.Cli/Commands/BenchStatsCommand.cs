using System.CommandLine;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using AnnotateDpo.Core.Statistics;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AnnotateDpo.Cli.Commands;

/// <summary>
/// <c>annotatedpo bench stats</c>: builds a large SQLite workspace straight through ADO.NET (prepared commands in one
/// transaction; the importer would take minutes and is benchmarked by <c>bench import</c>), then times the services
/// behind the coverage dashboard.
/// </summary>
internal static class BenchStatsCommand
{
    internal const string Workspace = "bench";
    private const int Categories = 8;
    private const int SftPerCategory = 60;
    private static readonly string[] Annotators = ["aoki", "baba", "chiba", "doi", "endo", "fujita", "goto", "hara", "ito", "jin"];
    /// <summary>Judgments added between the rounds: an annotator's session, give or take.</summary>
    private const int NewJudgments = 100;
    private static readonly string[] TagPool = ["safety", "hydraulics", "electrical", "handover", "inspection", "ja-only"];

    public static Command Create()
    {
        var pairs = new Option<int>("--pairs") { Description = "Preference pairs to generate.", DefaultValueFactory = _ => 100_000 };
        var judgments = new Option<int>("--judgments") { Description = "Judgment rows to generate (at least two per pair).", DefaultValueFactory = _ => 1_000_000 };
        var keep = new Option<string?>("--keep") { Description = $"Folder to keep the generated database in, and to reuse it from on the next run, which finds the {2 * NewJudgments} judgments each run adds (default: a temp folder, deleted)." };
        var command = new Command("stats", "Times the coverage dashboard's statistics (counts, quality report, the whole page model) on a large generated workspace.")
        {
            pairs, judgments, keep,
        };
        command.SetAction((parse, ct) => CliSupport.RunAsync(async () =>
        {
            var pairCount = parse.GetValue(pairs);
            var judgmentCount = parse.GetValue(judgments);
            if (pairCount < 1) throw new ArgumentException("--pairs must be at least 1.");
            if (judgmentCount < 2L * pairCount) throw new ArgumentException("--judgments must be at least twice --pairs (every pair is judged by two or three annotators).");
            var folder = parse.GetValue(keep) ?? Path.Combine(Path.GetTempPath(), $"annotatedpo-bench-{Guid.NewGuid():N}");
            Directory.CreateDirectory(folder);
            try
            {
                var file = Path.Combine(folder, "stats.db");
                var reuse = File.Exists(file);
                var factory = await CliSupport.OpenDatabaseAsync(file, ct);
                if (reuse)
                {
                    Console.WriteLine($"bench stats: reusing {file} (--pairs and --judgments ignored), {Environment.ProcessorCount} cores");
                }
                else
                {
                    var stopwatch = Stopwatch.StartNew();
                    var written = await GenerateAsync(factory, pairCount, judgmentCount, ct);
                    Console.WriteLine($"bench stats: {pairCount:N0} pairs, {written:N0} judgments, {Categories * SftPerCategory:N0} SFT examples written in " +
                                      $"{stopwatch.Elapsed.TotalSeconds:F1} s ({new FileInfo(file).Length / 1024.0 / 1024.0:F0} MB), {Environment.ProcessorCount} cores");
                }

                // The page's services as the web app has them: the demo tokenizer counts the tokens of the length bias.
                using var tokenizer = CliSupport.DemoTokenizer();
                var counter = CliSupport.CountingWith(tokenizer);
                var quality = new QualityReportService(factory, counter);
                var readiness = Options.Create(new ReadinessOptions());
                var coverage = new CoverageReportService(factory, quality, readiness);
                // Round 1 is this process's first page load: cold page cache and EF's query compilation; it also folds
                // every judgment not yet summarised into the statistics' tables (StatisticsFold), which on a database
                // generated just now is all of them, and computes every pair's text facts (PairTextFacts). Round 2 is a
                // new report on summarised data; rounds 3 and 4 the page after annotators added judgments (folded in
                // first), round 5 an unchanged workspace (the page model comes from its cache).
                var first = await TimeAsync(() => coverage.GetAsync(Workspace, ct));
                var summarised = await TimeAsync(() => new CoverageReportService(factory, quality, readiness).GetAsync(Workspace, ct));
                // The first fold of new judgments in a process also compiles the fold's queries; the second is the steady state.
                var changed = new double[2];
                for (var round = 0; round < changed.Length; round++)
                {
                    await AppendJudgmentsAsync(factory, NewJudgments, ct);
                    changed[round] = await TimeAsync(() => coverage.GetAsync(Workspace, ct));
                }
                var unchanged = await TimeAsync(() => coverage.GetAsync(Workspace, ct));
                Console.WriteLine($"coverage page model: first {first:F0} ms ({(reuse ? "a kept database: folds what is new" : "a new database: folds every judgment")}), " +
                                  $"summarised {summarised:F0} ms, after {NewJudgments} new judgments {changed[0]:F0} ms (the first fold in this process), " +
                                  $"after {NewJudgments} more {changed[1]:F0} ms, unchanged {unchanged:F0} ms");
                var stats = await TimeAsync(() => new WorkspaceStatsService(factory).GetAsync(Workspace, ct));
                var alone = await TimeAsync(() => new QualityReportService(factory, counter).GetAsync(Workspace, ct));
                Console.WriteLine($"annotatedpo stats (a fresh process, no cache): WorkspaceStatsService {stats:F0} ms, QualityReportService {alone:F0} ms");
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

    private static async Task<double> TimeAsync<T>(Func<Task<T>> action)
    {
        var started = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>
    /// Categories of uneven size, 2–3 annotators per pair whose extra rows supersede their earlier verdicts (so the
    /// latest-judgment query has history to skip), about 75% agreement, ties and both-bad, some near-identical pairs and
    /// a few final verdicts. Seeded: the same arguments give the same database.
    /// </summary>
    internal static async Task<long> GenerateAsync(AnnotateDbContextFactory factory, int pairCount, int judgmentCount, CancellationToken ct)
    {
        await using var db = factory.CreateDbContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var random = new Random(20261201);
        var start = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);

        await using (var workspace = Command(connection, transaction,
                         "INSERT INTO Workspaces (Id, Name, Language, Guidelines, OverlapTarget, CreatedAt) VALUES (1, $name, 'ja', '', 2, $at)", "$name", "$at"))
            Execute(workspace, Workspace, start);
        await using (var category = Command(connection, transaction,
                         "INSERT INTO Categories (Id, WorkspaceId, Name, Description, SftTarget, PairTarget) VALUES ($id, 1, $name, '', 50, $pairs)", "$id", "$name", "$pairs"))
            for (var c = 1; c <= Categories; c++) Execute(category, c, $"category-{c}", pairCount / Categories);

        await using (var sft = Command(connection, transaction,
                         "INSERT INTO SftExamples (WorkspaceId, Key, CategoryId, Messages, Tags, AuthorId, Status, CreatedAt, UpdatedAt, ContentHash) " +
                         "VALUES (1, $key, $category, $messages, $tags, 'bench', $status, $at, $at, $hash)",
                         "$key", "$category", "$messages", "$tags", "$status", "$at", "$hash"))
            for (var i = 0; i < Categories * SftPerCategory; i++)
            {
                string[] statuses = ["Approved", "Approved", "Approved", "Submitted", "Draft", "Rejected"];
                Execute(sft, $"s{i}", (object?)(i % 50 == 49 ? null : 1 + i % Categories),
                    $"[{{\"role\":\"user\",\"content\":\"質問 {i}\"}},{{\"role\":\"assistant\",\"content\":\"回答 {i}\"}}]",
                    Tags(random), statuses[random.Next(statuses.Length)], start.AddMinutes(i), $"{i:x16}");
            }

        await using var pair = Command(connection, transaction,
            "INSERT INTO PreferencePairs (Id, WorkspaceId, Key, CategoryId, Prompt, Tags, AuthorId, CreatedAt, ContentHash, " +
            "ResponseA_Origin, ResponseA_Text, ResponseB_Origin, ResponseB_Text) " +
            "VALUES ($id, 1, $key, $category, $prompt, $tags, 'bench', $at, $hash, 'Human', $a, 'Model', $b)",
            "$id", "$key", "$category", "$prompt", "$tags", "$at", "$hash", "$a", "$b");
        await using var judgment = Command(connection, transaction,
            "INSERT INTO Judgments (Id, Key, PairId, AnnotatorId, Verdict, ShownOrder, SecondsSpent, CreatedAt, SupersedesId, IsFinal) " +
            "VALUES ($id, $key, $pair, $annotator, $verdict, $order, $seconds, $at, $supersedes, $final)",
            "$id", "$key", "$pair", "$annotator", "$verdict", "$order", "$seconds", "$at", "$supersedes", "$final");
        string[] steps = ["LOTO を実施し残圧を抜く", "check the filter differential pressure", "作動油の温度と汚染度を測る", "record the fault code and time",
                          "ボルトの締付トルクを確認する", "compare with the last inspection sheet", "ブレーキ角度を測定する", "replace the seal kit"];
        long judgmentId = 0;
        var remaining = (long)judgmentCount;
        var previous = new long?[Annotators.Length];
        for (var p = 1; p <= pairCount; p++)
        {
            ct.ThrowIfCancellationRequested();
            var a = new StringBuilder($"まず安全を確保します（#{p}）。");
            for (var s = 0; s < 3 + random.Next(5); s++) a.Append(CultureInfo.InvariantCulture, $"\n{s + 1}. {steps[random.Next(steps.Length)]}");
            var textA = a.ToString();
            var textB = random.NextDouble() < 0.03 ? textA.Replace("まず", "最初に", StringComparison.Ordinal) : $"そのまま運転を続けて様子を見てください。問題 {p} は自然に直ることが多いです。";
            // Category 1 holds about three times as many pairs as category 8; 1% have none.
            object? category = random.NextDouble() < 0.01 ? null : 1 + (int)(Categories * Math.Pow(random.NextDouble(), 1.5));
            Execute(pair, p, $"p{p}", category, $"[{{\"role\":\"user\",\"content\":\"設備 {p} が異音を出します。どう対処すべきですか？\"}}]",
                Tags(random), start.AddSeconds(p), $"{p:x16}", textA, textB);

            // Spread the remaining rows evenly over the remaining pairs, two or three annotators each.
            var rows = (int)(remaining / (pairCount - p + 1));
            remaining -= rows;
            var overlap = Math.Min(rows, random.NextDouble() < 0.5 ? 2 : 3);
            var first = random.Next(Annotators.Length);
            var truth = random.Next(2) == 0 ? "A" : "B";
            Array.Clear(previous);
            for (var r = 0; r < rows; r++)
            {
                var final = r == rows - 1 && rows > overlap && random.NextDouble() < 0.01;
                var who = (first + r % overlap) % Annotators.Length;
                var roll = random.NextDouble();
                var verdict = roll < 0.08 ? "Tie" : roll < 0.12 ? "BothBad" : roll < 0.87 ? truth : truth == "A" ? "B" : "A";
                judgmentId++;
                Execute(judgment, judgmentId, $"j{judgmentId}", p, final ? "manager" : Annotators[who], verdict,
                    random.Next(2) == 0 ? "AB" : "BA", 5 + random.NextDouble() * 60, start.AddSeconds(p * 20L + r * 3600L),
                    final ? null : previous[who], final);
                if (!final) previous[who] = judgmentId;
            }
        }
        await transaction.CommitAsync(ct);
        return judgmentId;
    }

    /// <summary>A new annotator judges the first pairs, as if the page were opened again after their session.</summary>
    private static async Task AppendJudgmentsAsync(AnnotateDbContextFactory factory, int count, CancellationToken ct)
    {
        await using var db = factory.CreateDbContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var last = connection.CreateCommand();
        last.Transaction = transaction;
        last.CommandText = "SELECT COALESCE(MAX(Id), 0) FROM Judgments";
        var id = Convert.ToInt64(await last.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        await using var judgment = Command(connection, transaction,
            "INSERT INTO Judgments (Id, Key, PairId, AnnotatorId, Verdict, ShownOrder, SecondsSpent, CreatedAt, IsFinal) " +
            "VALUES ($id, $key, $pair, 'kato', $verdict, 'AB', $seconds, $at, 0)",
            "$id", "$key", "$pair", "$verdict", "$seconds", "$at");
        var random = new Random((int)id);
        for (var i = 0; i < count; i++)
        {
            id++;
            Execute(judgment, id, $"j{id}", 1 + (id % count), random.Next(2) == 0 ? "A" : "B", 5 + random.NextDouble() * 60, DateTime.UtcNow);
        }
        await transaction.CommitAsync(ct);
    }

    private static string Tags(Random random)
    {
        var tags = TagPool.Where(_ => random.NextDouble() < 0.25).Select(t => $"\"{t}\"");
        return $"[{string.Join(',', tags)}]";
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }
        command.Prepare();
        return command;
    }

    /// <summary>Synchronous on purpose: Microsoft.Data.Sqlite runs async calls synchronously, a task per row is pure overhead.</summary>
    private static void Execute(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        command.ExecuteNonQuery();
    }
}
