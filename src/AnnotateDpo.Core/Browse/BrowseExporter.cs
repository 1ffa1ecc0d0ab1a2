using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Statistics;
using AnnotateDpo.Core.Export;
using AnnotateDpo.Core.Import;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Browse;

public enum BrowseKind { Sft, Pairs }

public enum BrowseExportFormat { Csv, Jsonl }

/// <summary>
/// The browse page's filtered view as a download, through the same query as the table (<see cref="BrowseQuery"/>) in
/// the same order, streamed row by row. JSONL is our full-fidelity format (docs/formats.md): the workspace line, then the
/// rows, so the file imports back. CSV is the table's columns plus the texts, for spreadsheets.
/// </summary>
public sealed class BrowseExporter(IDbContextFactory<AnnotateDbContext> dbFactory)
{
    /// <summary>Checks the workspace and the filter before anything is written, so an error can still be the response.</summary>
    /// <exception cref="WorkspaceNotFoundException"/>
    /// <exception cref="ArgumentException">A filter names something the workspace does not have, or does not apply.</exception>
    public async Task<BrowseExport> PrepareAsync(
        string workspace, BrowseKind kind, BrowseFilter filter, BrowseViewer viewer, BrowseExportFormat format, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        // Building the query is what validates the filter; it runs later, on a context of its own.
        _ = kind == BrowseKind.Sft ? (IQueryable<object>)BrowseQuery.Sft(db, ws, filter, viewer) : BrowseQuery.Pairs(db, ws, filter, viewer);
        return new BrowseExport(dbFactory, ws, kind, filter, viewer, format);
    }
}

public sealed class BrowseExport
{
    private readonly IDbContextFactory<AnnotateDbContext> _dbFactory;
    private readonly Workspace _workspace;
    private readonly BrowseKind _kind;
    private readonly BrowseFilter _filter;
    private readonly BrowseViewer _viewer;
    private readonly BrowseExportFormat _format;

    internal BrowseExport(IDbContextFactory<AnnotateDbContext> dbFactory, Workspace workspace, BrowseKind kind, BrowseFilter filter, BrowseViewer viewer, BrowseExportFormat format)
    {
        (_dbFactory, _workspace, _kind, _filter, _viewer, _format) = (dbFactory, workspace, kind, filter, viewer, format);
    }

    public string ContentType => _format == BrowseExportFormat.Csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";

    /// <summary>e.g. <c>press line-pairs.annotatedpo.jsonl</c>, <c>press line-sft.csv</c>.</summary>
    public string FileName => $"{_workspace.Name}-{(_kind == BrowseKind.Sft ? "sft" : "pairs")}" + (_format == BrowseExportFormat.Csv ? ".csv" : ".annotatedpo.jsonl");

    /// <returns>The number of rows written.</returns>
    public async Task<int> WriteToAsync(Stream output, CancellationToken cancellationToken = default)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
        if (_filter.Agreement is not null) await StatisticsFold.CatchUpAsync(db, cancellationToken);
        var categoryNames = _workspace.Categories.ToDictionary(c => c.Id, c => c.Name);
        string? Category(long? id) => id is { } known ? categoryNames[known] : null;
        var rows = 0;
        if (_format == BrowseExportFormat.Jsonl)
        {
            await using var jsonl = new JsonlWriter(output);
            await jsonl.WriteLineAsync(json => FullFormatWriter.Workspace(json, _workspace), cancellationToken);
            if (_kind == BrowseKind.Sft)
                await foreach (var example in BrowseQuery.Sft(db, _workspace, _filter, _viewer).AsAsyncEnumerable().WithCancellation(cancellationToken))
                {
                    await jsonl.WriteLineAsync(json => FullFormatWriter.Sft(json, example, Category(example.CategoryId)), cancellationToken);
                    rows++;
                }
            else
                await foreach (var pair in PairsWithJudgments(db).AsAsyncEnumerable().WithCancellation(cancellationToken))
                {
                    await jsonl.WriteLineAsync(json => FullFormatWriter.Pair(json, pair, Category(pair.CategoryId)), cancellationToken);
                    rows++;
                }
            return rows;
        }

        // Records go through memory and on to the output asynchronously: the writer would write synchronously when its
        // buffer fills, which an HTTP response refuses.
        using var buffer = new MemoryStream();
        await using var csv = ExportService.CreateCsvWriter(buffer);
        async Task EmitAsync()
        {
            await csv.FlushAsync(cancellationToken);
            await output.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
            buffer.SetLength(0);
        }
        if (_kind == BrowseKind.Sft)
        {
            ExportService.WriteRecord(csv, "id", "category", "tags", "status", "author", "created_at", "updated_at", "system", "prompt", "response", "turns");
            await EmitAsync();
            await foreach (var example in BrowseQuery.Sft(db, _workspace, _filter, _viewer).AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                var messages = example.Messages;
                ExportService.WriteRecord(csv, example.Key, Category(example.CategoryId), ExportService.Tags(example.Tags),
                    FormatVocabulary.Status.Name(example.Status), example.AuthorId, JsonlWriter.Time(example.CreatedAt), JsonlWriter.Time(example.UpdatedAt),
                    Last(messages, ChatRoles.System), Last(messages, ChatRoles.User), Last(messages, ChatRoles.Assistant),
                    messages.Count(m => m.Role == ChatRoles.User).ToString(System.Globalization.CultureInfo.InvariantCulture));
                rows++;
                await EmitAsync();
            }
        }
        else
        {
            ExportService.WriteRecord(csv, "id", "category", "tags", "author", "created_at", "outcome", "prompt", "response_a", "response_b");
            await EmitAsync();
            await foreach (var pair in PairsWithJudgments(db).AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                var outcome = _viewer.IsManager ? PairResolver.Resolve(pair.Judgments).Outcome.ToString() : null;
                ExportService.WriteRecord(csv, pair.Key, Category(pair.CategoryId), ExportService.Tags(pair.Tags), pair.AuthorId,
                    JsonlWriter.Time(pair.CreatedAt), outcome, Last(pair.Prompt, ChatRoles.User), pair.ResponseA.Text, pair.ResponseB.Text);
                rows++;
                await EmitAsync();
            }
        }
        return rows;
    }

    /// <summary>Annotators get only their own judgments, as on the page.</summary>
    private IQueryable<PreferencePair> PairsWithJudgments(AnnotateDbContext db)
    {
        var pairs = BrowseQuery.Pairs(db, _workspace, _filter, _viewer);
        var viewer = _viewer.UserName;
        return _viewer.IsManager ? pairs.Include(p => p.Judgments) : pairs.Include(p => p.Judgments.Where(j => j.AnnotatorId == viewer));
    }

    private static string? Last(List<ChatMessage> messages, string role) => messages.LastOrDefault(m => m.Role == role)?.Content;
}
