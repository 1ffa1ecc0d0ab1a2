namespace AnnotateDpo.Core.Text;

/// <summary>
/// The set of character n-grams (shingles, default 5) of a normalised text, held as sorted 64-bit hashes so that
/// the Jaccard similarity of two sets is one merge of two arrays, with no strings kept. A text shorter than the
/// shingle size is one shingle, the whole text; an empty text has none.
/// </summary>
public sealed class ShingleSet
{
    public const int DefaultSize = 5;

    private readonly ulong[] _hashes;

    private ShingleSet(ulong[] hashes) => _hashes = hashes;

    public int Count => _hashes.Length;

    /// <summary>The shingles of <see cref="TextNormalizer.Normalize"/>(<paramref name="text"/>), over UTF-16 code units.</summary>
    public static ShingleSet Of(string text, int size = DefaultSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var normalized = TextNormalizer.Normalize(text);
        if (normalized.Length == 0) return new([]);
        if (normalized.Length <= size) return new([Hash(normalized)]);
        var hashes = new HashSet<ulong>(normalized.Length - size + 1);
        for (var i = 0; i + size <= normalized.Length; i++)
            hashes.Add(Hash(normalized.AsSpan(i, size)));
        var sorted = hashes.ToArray();
        Array.Sort(sorted);
        return new(sorted);
    }

    /// <summary>|A ∩ B| / |A ∪ B|; 0 when both are empty, so that two empty drafts are not duplicates.</summary>
    public double Jaccard(ShingleSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Count == 0 || other.Count == 0) return 0;
        var common = 0;
        var (a, b) = (_hashes, other._hashes);
        for (int i = 0, j = 0; i < a.Length && j < b.Length;)
        {
            if (a[i] == b[j]) { common++; i++; j++; }
            else if (a[i] < b[j]) i++;
            else j++;
        }
        return (double)common / (a.Length + b.Length - common);
    }

    /// <summary>
    /// The highest Jaccard similarity two sets of these sizes can have (the smaller inside the larger), so a search
    /// can skip sets that cannot reach a threshold without merging them.
    /// </summary>
    public static double MaxJaccard(int countA, int countB) =>
        countA == 0 || countB == 0 ? 0 : (double)Math.Min(countA, countB) / Math.Max(countA, countB);

    /// <summary>FNV-1a over the code units; stable across processes, unlike string.GetHashCode.</summary>
    private static ulong Hash(ReadOnlySpan<char> shingle)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in shingle)
        {
            hash = (hash ^ (byte)c) * 1099511628211UL;
            hash = (hash ^ (byte)(c >> 8)) * 1099511628211UL;
        }
        return hash;
    }
}
