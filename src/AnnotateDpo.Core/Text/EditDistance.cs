namespace AnnotateDpo.Core.Text;

public static class EditDistance
{
    /// <summary>Levenshtein distance over UTF-16 code units, in O(min(a, b)) memory.</summary>
    public static int Levenshtein(ReadOnlySpan<char> a, ReadOnlySpan<char> b) =>
        a.Length >= b.Length ? LevenshteinShorterSecond(a, b) : LevenshteinShorterSecond(b, a);

    private static int LevenshteinShorterSecond(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>Levenshtein distance divided by the longer length: 0 for identical texts, 1 for nothing in common.</summary>
    public static double Normalized(string a, string b)
    {
        var longer = Math.Max(a.Length, b.Length);
        return longer == 0 ? 0 : (double)Levenshtein(a, b) / longer;
    }
}
