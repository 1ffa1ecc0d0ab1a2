using System.CommandLine;
using System.Diagnostics;
using AnnotateDpo.Core.Browse;
using AnnotateDpo.Core.Storage;

namespace AnnotateDpo.Cli.Commands;

/// <summary>
/// <c>annotatedpo bench browse</c>: the workspace of <c>bench stats</c> (written the same way, straight through
/// ADO.NET), its search columns filled as migration fills them for rows written around EF, then the browse page's
/// queries timed: one page of rows and the total, as the page asks for them.
/// </summary>
internal static class BenchBrowseCommand
{
    private const int PageSize = 25;

    public static Command Create()
    {
        var pairs = new Option<int>("--pairs") { Description = "Preference pairs to generate.", DefaultValueFactory = _ => 100_000 };
        var judgments = new Option<int>("--judgments") { Description = "Judgment rows to generate (at least two per pair).", DefaultValueFactory = _ => 250_000 };
        var keep = new Option<string?>("--keep") { Description = "Folder to keep the generated database in, and to reuse it from on the next run (default: a temp folder, deleted)." };
        var command = new Command("browse", "Times the browse page's queries (filters, text search, agreement, deep pages) on a large generated workspace.")
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
                var file = Path.Combine(folder, "browse.db");
                var reuse = File.Exists(file);
                var factory = await CliSupport.OpenDatabaseAsync(file, ct);
                if (reuse)
                {
                    Console.WriteLine($"bench browse: reusing {file} (--pairs and --judgments ignored), {Environment.ProcessorCount} cores");
                }
                else
                {
                    var stopwatch = Stopwatch.StartNew();
                    var written = await BenchStatsCommand.GenerateAsync(factory, pairCount, judgmentCount, ct);
                    var generated = stopwatch.Elapsed.TotalSeconds;
                    stopwatch.Restart();
                    var filled = await SearchColumns.FillMissingAsync(factory, ct);
                    Console.WriteLine($"bench browse: {pairCount:N0} pairs, {written:N0} judgments written in {generated:F1} s; search columns of {filled:N0} rows filled in " +
                                      $"{stopwatch.Elapsed.TotalSeconds:F1} s ({new FileInfo(file).Length / 1024.0 / 1024.0:F0} MB), {Environment.ProcessorCount} cores");
                }

                var browse = new BrowseService(factory);
                var manager = new BrowseViewer("bench", IsManager: true);
                (string Label, BrowseFilter Filter, int Skip)[] queries =
                [
                    ("first page, no filter", new BrowseFilter(), 0),
                    ("page 2,000, no filter", new BrowseFilter(), 2_000 * PageSize),
                    ("category + tag + date", new BrowseFilter { Category = "category-2", Tag = "safety", From = new DateOnly(2026, 10, 1), To = new DateOnly(2026, 10, 1) }, 0),
                    ("search 'seal kit'", new BrowseFilter { Search = "Seal Kit" }, 0),
                    ("category + tag + search 'seal kit'", new BrowseFilter { Category = "category-2", Tag = "safety", Search = "seal kit" }, 0),
                    ("search '問題 4242 は'", new BrowseFilter { Search = "問題 4242 は" }, 0),
                    ("disagreed + search 'seal kit'", new BrowseFilter { Agreement = PairAgreement.Disagreed, Search = "seal kit" }, 0),
                    ("final verdicts, sorted by category", new BrowseFilter { Agreement = PairAgreement.Final, Sort = BrowseSort.Category, Descending = false }, 0),
                ];
                // Round 1 pays for the cold page cache and EF's query compilation; round 2 is the steady state.
                for (var round = 1; round <= 2; round++)
                {
                    foreach (var (label, filter, skip) in queries)
                    {
                        var started = Stopwatch.GetTimestamp();
                        var page = await browse.ListPairsAsync(BenchStatsCommand.Workspace, filter, manager, skip, PageSize, ct);
                        Console.WriteLine($"round {round}: {label}: {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms ({page.Items.Count} rows of {page.Total:N0})");
                    }
                }
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
}
