namespace AnnotateDpo.Core.Statistics;

/// <summary>One annotator's label on one item (the latest verdict on a pair, say).</summary>
public sealed record Rating<TLabel>(string Item, string Annotator, TLabel Label) where TLabel : notnull;

/// <summary>Inter-annotator agreement over nominal labels. Plain functions: no storage, no UI.</summary>
public static class Agreement
{
    /// <summary>
    /// Share of agreeing annotator pairs, over every item rated by at least two annotators (each item weighted by its
    /// number of pairs). Null when no item has two ratings.
    /// </summary>
    public static double? PercentAgreement<TLabel>(IEnumerable<Rating<TLabel>> ratings) where TLabel : notnull
    {
        long agreeing = 0, pairs = 0;
        foreach (var item in ByItem(ratings))
        {
            for (var i = 0; i < item.Count; i++)
                for (var j = i + 1; j < item.Count; j++)
                {
                    pairs++;
                    if (EqualityComparer<TLabel>.Default.Equals(item[i], item[j])) agreeing++;
                }
        }
        return pairs == 0 ? null : (double)agreeing / pairs;
    }

    /// <summary>
    /// Cohen's κ (Cohen 1960) of two annotators over the items both rated: (p_o − p_e) / (1 − p_e), with p_e from each
    /// annotator's own label distribution. Null without shared items, or when chance agreement is certain (p_e = 1).
    /// </summary>
    public static double? CohensKappa<TLabel>(IEnumerable<Rating<TLabel>> ratings, string first, string second) where TLabel : notnull
    {
        var shared = SharedItems(ratings, first, second);
        if (shared.Count == 0) return null;
        var n = (double)shared.Count;
        var observed = shared.Count(p => EqualityComparer<TLabel>.Default.Equals(p.First, p.Second)) / n;
        var firstMarginal = shared.GroupBy(p => p.First).ToDictionary(g => g.Key, g => g.Count() / n);
        var secondMarginal = shared.GroupBy(p => p.Second).ToDictionary(g => g.Key, g => g.Count() / n);
        var expected = firstMarginal.Sum(m => m.Value * secondMarginal.GetValueOrDefault(m.Key));
        return expected >= 1 ? null : (observed - expected) / (1 - expected);
    }

    /// <summary>How many items both annotators rated.</summary>
    public static int SharedItemCount<TLabel>(IEnumerable<Rating<TLabel>> ratings, string first, string second) where TLabel : notnull =>
        SharedItems(ratings, first, second).Count;

    /// <summary>
    /// Krippendorff's α for nominal data (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"):
    /// 1 − D_o / D_e from the coincidence matrix of all pairable values; items with a single rating are not pairable.
    /// Any number of annotators, missing ratings allowed. Null with fewer than two pairable values, or when every
    /// pairable value is the same label (D_e = 0).
    /// </summary>
    public static double? KrippendorffAlphaNominal<TLabel>(IEnumerable<Rating<TLabel>> ratings) where TLabel : notnull
    {
        // o[c,k]: the coincidences of values c and k within items, each item's pairs weighted 1 / (m_u − 1).
        var coincidences = new Dictionary<(TLabel, TLabel), double>();
        foreach (var item in ByItem(ratings))
        {
            var m = item.Count;
            for (var i = 0; i < m; i++)
                for (var j = 0; j < m; j++)
                {
                    if (i == j) continue;
                    var key = (item[i], item[j]);
                    coincidences[key] = coincidences.GetValueOrDefault(key) + 1.0 / (m - 1);
                }
        }
        var marginals = new Dictionary<TLabel, double>();
        foreach (var ((c, _), count) in coincidences)
            marginals[c] = marginals.GetValueOrDefault(c) + count;
        var n = marginals.Values.Sum();
        if (n < 2) return null;

        // α = 1 − D_o / D_e with D_o = Σ_{c≠k} o_ck / n and D_e = Σ_{c≠k} n_c n_k / (n (n − 1)).
        var mismatched = coincidences.Where(o => !EqualityComparer<TLabel>.Default.Equals(o.Key.Item1, o.Key.Item2)).Sum(o => o.Value);
        var expectedMismatches = n * n - marginals.Values.Sum(v => v * v);
        return expectedMismatches == 0 ? null : 1 - (n - 1) * mismatched / expectedMismatches;
    }

    /// <summary>The labels of each item that at least two annotators rated.</summary>
    private static IEnumerable<List<TLabel>> ByItem<TLabel>(IEnumerable<Rating<TLabel>> ratings) where TLabel : notnull =>
        ratings.GroupBy(r => r.Item, StringComparer.Ordinal)
            .Select(g => g.Select(r => r.Label).ToList())
            .Where(labels => labels.Count >= 2);

    private static List<(TLabel First, TLabel Second)> SharedItems<TLabel>(IEnumerable<Rating<TLabel>> ratings, string first, string second)
        where TLabel : notnull
    {
        var list = ratings as IReadOnlyCollection<Rating<TLabel>> ?? ratings.ToList();
        var firstByItem = list.Where(r => r.Annotator == first).ToDictionary(r => r.Item, r => r.Label, StringComparer.Ordinal);
        return list.Where(r => r.Annotator == second && firstByItem.ContainsKey(r.Item))
            .Select(r => (firstByItem[r.Item], r.Label))
            .ToList();
    }
}
