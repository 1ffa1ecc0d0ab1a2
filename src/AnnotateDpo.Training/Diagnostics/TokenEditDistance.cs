namespace AnnotateDpo.Training.Diagnostics;

/// <summary>Levenshtein distance between token sequences.</summary>
public static class TokenEditDistance
{
    public static int Distance(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        if (a.Count < b.Count)
            (a, b) = (b, a);
        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        for (var j = 0; j <= b.Count; j++) previous[j] = j;
        for (var i = 1; i <= a.Count; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Count; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Count];
    }

    /// <summary>The distance divided by the longer length: 0 for identical sequences, 1 for nothing in common.</summary>
    public static double Normalized(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        var longer = Math.Max(a.Count, b.Count);
        return longer == 0 ? 0 : (double)Distance(a, b) / longer;
    }
}
