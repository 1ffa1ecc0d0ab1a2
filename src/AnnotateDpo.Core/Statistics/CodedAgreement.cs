namespace AnnotateDpo.Core.Statistics;

/// <summary>
/// Raw agreement, Krippendorff's α and Cohen's κ with their bootstrap intervals over integer-coded labels: each
/// statistic is a sum of per-item parts, precomputed once, so a resample is a pass over an index array. Gives the
/// numbers of <see cref="Agreement"/> (known-answer tests pin both) at a workspace of 100 000 pairs.
/// </summary>
public static class CodedAgreement
{
    /// <summary>Raw agreement and α over items whose labels (codes 0 … <paramref name="labelCount"/> − 1) are given, two or more each.</summary>
    /// <remarks>
    /// Both statistics depend on an item only through its count of each label, and annotation data has few distinct
    /// count vectors (two or three ratings of three labels: 16). A resample is therefore tallied by item type and the
    /// statistic evaluated over the types: the same bootstrap, one increment per drawn item.
    /// </remarks>
    public static (AgreementEstimate Percent, AgreementEstimate Alpha) PercentAndAlpha(IReadOnlyList<int[]> items, int labelCount)
    {
        var n = items.Count;
        var typeOf = new int[n];
        var types = new Dictionary<string, int>(StringComparer.Ordinal);
        var typeCounts = new List<int[]>();
        for (var u = 0; u < n; u++)
        {
            var counts = new int[labelCount];
            foreach (var label in items[u]) counts[label]++;
            var key = string.Join(',', counts);
            if (!types.TryGetValue(key, out var type))
            {
                types[key] = type = typeCounts.Count;
                typeCounts.Add(counts);
            }
            typeOf[u] = type;
        }
        var t = typeCounts.Count;
        var agreeing = new long[t];
        var pairs = new long[t];
        var mismatch = new double[t];
        for (var type = 0; type < t; type++)
        {
            long same = 0, squares = 0, m = 0;
            foreach (long k in typeCounts[type])
            {
                same += k * (k - 1) / 2;
                squares += k * k;
                m += k;
            }
            agreeing[type] = same;
            pairs[type] = m * (m - 1) / 2;
            // Σ_{i≠j, c_i≠c_j} 1 / (m − 1): the item's off-diagonal coincidences.
            mismatch[type] = (double)(m * m - squares) / (m - 1);
        }

        var tally = new long[t];
        void Tally(int[] sample)
        {
            Array.Clear(tally);
            foreach (var u in sample) tally[typeOf[u]]++;
        }
        double? Percent(int[] sample)
        {
            Tally(sample);
            long agree = 0, total = 0;
            for (var type = 0; type < t; type++) { agree += tally[type] * agreeing[type]; total += tally[type] * pairs[type]; }
            return total == 0 ? null : (double)agree / total;
        }
        var marginals = new double[labelCount];
        double? Alpha(int[] sample)
        {
            Tally(sample);
            Array.Clear(marginals);
            double mismatched = 0;
            for (var type = 0; type < t; type++)
            {
                mismatched += tally[type] * mismatch[type];
                for (var c = 0; c < labelCount; c++) marginals[c] += tally[type] * typeCounts[type][c];
            }
            var total = marginals.Sum();
            if (total < 2) return null;
            var expectedMismatches = total * total - marginals.Sum(v => v * v);
            return expectedMismatches == 0 ? null : 1 - (total - 1) * mismatched / expectedMismatches;
        }

        var all = Enumerable.Range(0, n).ToArray();
        var intervals = Intervals.Bootstrap(n, [Percent, Alpha]);
        return (new AgreementEstimate(Percent(all), n, intervals[0]), new AgreementEstimate(Alpha(all), n, intervals[1]));
    }

    /// <summary>Raw agreement, α and Cohen's κ of two annotators, from their labels on each item both rated.</summary>
    /// <remarks>An item is one of <paramref name="labelCount"/>² label pairs; a resample is tallied by those, as above.</remarks>
    public static (AgreementEstimate Percent, AgreementEstimate Alpha, AgreementEstimate Kappa) TwoAnnotators(
        IReadOnlyList<int> first, IReadOnlyList<int> second, int labelCount)
    {
        var n = first.Count;
        var typeOf = new int[n];
        for (var u = 0; u < n; u++) typeOf[u] = first[u] * labelCount + second[u];
        var tally = new long[labelCount * labelCount];
        var firstCounts = new double[labelCount];
        var secondCounts = new double[labelCount];
        double agree = 0;
        // Tallies the resample, then the agreeing items and both annotators' label counts; false for an empty one.
        bool Tally(int[] sample)
        {
            Array.Clear(tally);
            foreach (var u in sample) tally[typeOf[u]]++;
            Array.Clear(firstCounts);
            Array.Clear(secondCounts);
            agree = 0;
            for (var a = 0; a < labelCount; a++)
                for (var b = 0; b < labelCount; b++)
                {
                    var count = tally[a * labelCount + b];
                    firstCounts[a] += count;
                    secondCounts[b] += count;
                    if (a == b) agree += count;
                }
            return sample.Length > 0;
        }

        // With two ratings per item: agreement is 0/1 per item, a mismatch is 2 off-diagonal coincidences.
        double? Percent(int[] sample) => Tally(sample) ? agree / sample.Length : null;
        double? Alpha(int[] sample)
        {
            if (!Tally(sample)) return null;
            var total = 2.0 * sample.Length;
            var mismatched = 2 * (sample.Length - agree);
            var squares = 0.0;
            for (var c = 0; c < labelCount; c++) squares += (firstCounts[c] + secondCounts[c]) * (firstCounts[c] + secondCounts[c]);
            var expectedMismatches = total * total - squares;
            return expectedMismatches == 0 ? null : 1 - (total - 1) * mismatched / expectedMismatches;
        }
        double? Kappa(int[] sample)
        {
            if (!Tally(sample)) return null;
            double count = sample.Length;
            var observed = agree / count;
            var expected = 0.0;
            for (var c = 0; c < labelCount; c++) expected += firstCounts[c] / count * (secondCounts[c] / count);
            return expected >= 1 ? null : (observed - expected) / (1 - expected);
        }

        var all = Enumerable.Range(0, n).ToArray();
        var intervals = Intervals.Bootstrap(n, [Percent, Alpha, Kappa]);
        return (new AgreementEstimate(Percent(all), n, intervals[0]), new AgreementEstimate(Alpha(all), n, intervals[1]),
            new AgreementEstimate(Kappa(all), n, intervals[2]));
    }

    /// <summary>Codes 0 … 3 of the verdicts (both-bad never reaches agreement, but keeps its code).</summary>
    public const int VerdictLabels = 4;

    /// <summary>
    /// For every annotator pair (first before second in ordinal order) that rated an item together, both labels on each
    /// such item, in item order.
    /// </summary>
    public static Dictionary<(string First, string Second), (List<int> First, List<int> Second)> ByAnnotatorPair(
        IEnumerable<IEnumerable<(string Annotator, int Label)>> items)
    {
        var result = new Dictionary<(string, string), (List<int>, List<int>)>();
        foreach (var item in items)
        {
            var ratings = item.OrderBy(r => r.Annotator, StringComparer.Ordinal).ToList();
            for (var i = 0; i < ratings.Count; i++)
                for (var j = i + 1; j < ratings.Count; j++)
                {
                    var key = (ratings[i].Annotator, ratings[j].Annotator);
                    if (!result.TryGetValue(key, out var lists)) result[key] = lists = ([], []);
                    lists.Item1.Add(ratings[i].Label);
                    lists.Item2.Add(ratings[j].Label);
                }
        }
        return result;
    }
}
