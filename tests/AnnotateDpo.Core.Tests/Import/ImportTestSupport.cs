using System.Text.Encodings.Web;
using System.Text.Json;
using AnnotateDpo.Core.Import;
using AnnotateDpo.Core.Text;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Tests.Import;

internal sealed class FixedClock(DateTime utcNow) : TimeProvider
{
    public static readonly DateTime Default = new(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);

    public override DateTimeOffset GetUtcNow() => new(utcNow);
}

internal sealed record RowCounts(int Workspaces, int Categories, int Sft, int Pairs, int Judgments);

internal static class ImportTestSupport
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static ImportService Importer(this TestDatabase db) => new(db.Factory, new FixedClock(FixedClock.Default));

    public static Task<ImportResult> ImportAsync(this TestDatabase db, string workspace, ImportOptions? options = null, params string[] files) =>
        db.Importer().ImportAsync(workspace, files, options ?? new ImportOptions(), CancellationToken.None);

    public static async Task<RowCounts> CountsAsync(this TestDatabase db)
    {
        await using var context = db.CreateDbContext();
        return new RowCounts(
            await context.Workspaces.CountAsync(), await context.Categories.CountAsync(), await context.SftExamples.CountAsync(),
            await context.PreferencePairs.CountAsync(), await context.Judgments.CountAsync());
    }

    /// <summary>
    /// Everything a workspace holds that a round trip must keep, one JSON line per row in key order; ids and the
    /// source file and line (which name where a row came from, not what it is) are left out.
    /// </summary>
    public static async Task<List<string>> ProjectionAsync(this TestDatabase db, string workspaceName, bool withCuration = true)
    {
        await using var context = db.CreateDbContext();
        var workspace = await context.Workspaces.Include(w => w.Categories).SingleAsync(w => w.Name == workspaceName);
        var categories = workspace.Categories.ToDictionary(c => c.Id, c => c.Name);
        var lines = new List<string>();
        if (withCuration)
        {
            lines.Add(Line(new
            {
                workspace.Language, workspace.Guidelines, workspace.OverlapTarget,
                Categories = workspace.Categories.OrderBy(c => c.Name, StringComparer.Ordinal)
                    .Select(c => new { c.Name, c.Description, c.SftTarget, c.PairTarget }),
            }));
        }
        var examples = await context.SftExamples.Where(e => e.WorkspaceId == workspace.Id).ToListAsync();
        foreach (var e in examples.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            object curation = withCuration ? new { e.Status, e.AuthorId, e.ReviewComment, e.CreatedAt, e.UpdatedAt } : new { };
            lines.Add(Line(new { e.Key, Category = Name(categories, e.CategoryId), e.Tags, e.Messages, e.ContentHash, curation }));
        }
        var pairs = await context.PreferencePairs.Include(p => p.Judgments).Where(p => p.WorkspaceId == workspace.Id).ToListAsync();
        foreach (var p in pairs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var keys = p.Judgments.ToDictionary(j => j.Id, j => j.Key);
            object curation = withCuration
                ? new
                {
                    p.AuthorId, p.CreatedAt, p.ResponseA, p.ResponseB,
                    Judgments = p.Judgments.OrderBy(j => j.Id).Select(j => new
                    {
                        j.Key, j.AnnotatorId, j.Verdict, j.Strength, j.Rationale, j.ShownOrder, j.SecondsSpent, j.CreatedAt, j.IsFinal,
                        Supersedes = j.SupersedesId is { } id ? keys[id] : null,
                    }),
                }
                : new { };
            lines.Add(Line(new { p.Key, Category = Name(categories, p.CategoryId), p.Tags, p.Prompt, p.ContentHash, curation }));
        }
        return lines;
    }

    public static string Line(object value) => JsonSerializer.Serialize(value, Json);

    public static string PairKey(string prompt, string a, string b) =>
        "pair-" + ContentHash.ForPair([new("user", prompt)], a, b)[..12];

    private static string? Name(Dictionary<long, string> categories, long? id) => id is { } known ? categories[known] : null;

    /// <summary>The ImportValidationException of an import that must fail.</summary>
    public static async Task<IReadOnlyList<ImportError>> ImportErrorsAsync(this TestDatabase db, string workspace, ImportOptions? options, params string[] files)
    {
        var exception = await Assert.ThrowsAsync<ImportValidationException>(() => db.ImportAsync(workspace, options, files));
        return exception.Errors;
    }
}
