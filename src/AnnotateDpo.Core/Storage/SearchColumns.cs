using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace AnnotateDpo.Core.Storage;

/// <summary>
/// Two derived columns on SFT examples and pairs, kept as shadow properties so the domain never sees them:
/// <see cref="Text"/> holds the searchable text (every message, both responses) normalised by <see cref="TextNormalizer"/>,
/// whitespace folded to single spaces and lower-cased, so a case-insensitive substring search is a plain
/// <c>instr</c>/<c>strpos</c> in SQL — Japanese has no word boundaries, so substrings are the honest baseline.
/// <see cref="Tags"/> holds the tags between newlines ("\nsafety\nhydraulics\n"), so one tag is a substring test on
/// the whole token. <see cref="AnnotateDbContext"/> fills both on every save; rows written around EF (raw SQL bulk
/// loads, databases from before the columns) are filled by <see cref="FillMissingAsync"/>, which migration runs.
/// </summary>
public static class SearchColumns
{
    public const string Text = "SearchText";
    public const string Tags = "SearchTags";

    private const char TagSeparator = '\n';
    private const char MessageSeparator = '\n';
    private const int FillBatch = 2_000;

    /// <summary>A search query in the form the <see cref="Text"/> column holds; empty when nothing is left to search for.</summary>
    public static string Fold(string text) => TextNormalizer.Normalize(text).Replace('\n', ' ').ToLowerInvariant();

    /// <summary>What a tag looks like inside the <see cref="Tags"/> column, separators included.</summary>
    public static string TagToken(string tag) => TagSeparator + tag + TagSeparator;

    /// <summary>The tags stored in a <see cref="Tags"/> value.</summary>
    public static IEnumerable<string> SplitTags(string? stored) =>
        (stored ?? "").Split(TagSeparator, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Messages are joined by a line break, which a folded query never holds, so no match spans two messages.</summary>
    public static string TextOf(SftExample example) => string.Join(MessageSeparator, example.Messages.Select(m => Fold(m.Content)));

    public static string TextOf(PreferencePair pair) =>
        string.Join(MessageSeparator, pair.Prompt.Select(m => Fold(m.Content)).Append(Fold(pair.ResponseA.Text)).Append(Fold(pair.ResponseB.Text)));

    public static string TagsOf(IEnumerable<string> tags) => TagSeparator + string.Concat(tags.Select(t => t + TagSeparator));

    internal static void Configure<T>(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<T> builder) where T : class
    {
        builder.Property<string?>(Text);
        builder.Property<string?>(Tags);
    }

    /// <summary>Recomputes the columns of every added or changed SFT example and pair the context tracks.</summary>
    internal static void Refresh(ChangeTracker changeTracker)
    {
        foreach (var entry in changeTracker.Entries<SftExample>().Where(e => e.State is EntityState.Added or EntityState.Modified))
            Set(entry, TextOf(entry.Entity), TagsOf(entry.Entity.Tags));
        foreach (var entry in changeTracker.Entries<PreferencePair>().Where(e => e.State is EntityState.Added or EntityState.Modified))
            Set(entry, TextOf(entry.Entity), TagsOf(entry.Entity.Tags));
    }

    /// <summary>Fills the columns of rows that do not have them yet, in batches; returns how many rows it filled.</summary>
    public static async Task<int> FillMissingAsync(IDbContextFactory<AnnotateDbContext> dbFactory, CancellationToken cancellationToken = default)
    {
        var filled = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var examples = await db.SftExamples.Where(e => EF.Property<string?>(e, Text) == null).OrderBy(e => e.Id).Take(FillBatch).ToListAsync(cancellationToken);
            var pairs = examples.Count > 0
                ? []
                : await db.PreferencePairs.Where(p => EF.Property<string?>(p, Text) == null).OrderBy(p => p.Id).Take(FillBatch).ToListAsync(cancellationToken);
            if (examples.Count == 0 && pairs.Count == 0) return filled;
            foreach (var example in examples) Set(db.Entry(example), TextOf(example), TagsOf(example.Tags));
            foreach (var pair in pairs) Set(db.Entry(pair), TextOf(pair), TagsOf(pair.Tags));
            await db.SaveChangesAsync(cancellationToken);
            filled += examples.Count + pairs.Count;
        }
    }

    private static void Set<T>(EntityEntry<T> entry, string text, string tags) where T : class
    {
        entry.Property(Text).CurrentValue = text;
        entry.Property(Tags).CurrentValue = tags;
    }
}
