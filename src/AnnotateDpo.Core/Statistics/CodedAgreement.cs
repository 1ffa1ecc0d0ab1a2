using System.Collections.Concurrent;

namespace AnnotateDpo.Core.Statistics;

/// <summary>
/// Raw agreement, Krippendorff's α and Cohen's κ with their bootstrap intervals over integer-coded labels. Each
/// statistic depends on an item only through its type (its count of each label, or its label pair), so a sample is
/// its count per type and a resample one multinomial draw over the types (<see cref="Intervals.BootstrapTypes"/>).
/// Gives the numbers of <see cref="Agreement"/> (known-answer tests pin both) at a workspace of 100 000 pairs.
/// </summary>
public static class CodedAgreement
{
    /// <summary>
    /// Raw agreement and α over items whose labels (codes 0 … <paramref name="labelCount"/> − 1) are given, two or more
    /// each, with how many items have those labels.
    /// </summary>
    /// <remarks>Annotation data has few distinct label-count vectors (two or three ratings of three labels: 16).</remarks>
    public static (AgreementEstimate Percent, AgreementEstimate Alpha) PercentAndAlpha(IReadOnlyList<(IReadOnlyList<int> Labels, int Items)> items,
        int labelCount, int resamples = 1000)
    {
        var types = new Dictionary<string, int>(StringComparer.Ordinal);
        var typeLabels = new List<int[]>();
        var itemsOfType = new List<int>();
        foreach (var (labels, count) in items)
        {
            var counts = new int[labelCount];
            foreach (var label in labels) counts[label]++;
            var key = string.Join(',', counts);
            if (!types.TryGetValue(key, out var type))
            {
                types[key] = type = typeLabels.Count;
                typeLabels.Add(counts);
                itemsOfType.Add(0);
            }
            itemsOfType[type] += count;
        }
        var t = typeLabels.Count;
        var agreeing = new long[t];
        var pairs = new long[t];
        var mismatch = new double[t];
        for (var type = 0; type < t; type++)
        {
            long same = 0, squares = 0, m = 0;
            foreach (long k in typeLabels[type])
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

        double? Percent(long[] sample)
        {
            long agree = 0, total = 0;
            for (var type = 0; type < t; type++) { agree += sample[type] * agreeing[type]; total += sample[type] * pairs[type]; }
            return total == 0 ? null : (double)agree / total;
        }
        var marginals = new double[labelCount];
        double? Alpha(long[] sample)
        {
            Array.Clear(marginals);
            double mismatched = 0;
            for (var type = 0; type < t; type++)
            {
                mismatched += sample[type] * mismatch[type];
                for (var c = 0; c < labelCount; c++) marginals[c] += sample[type] * typeLabels[type][c];
            }
            var total = marginals.Sum();
            if (total < 2) return null;
            var expectedMismatches = total * total - marginals.Sum(v => v * v);
            return expectedMismatches == 0 ? null : 1 - (total - 1) * mismatched / expectedMismatches;
        }

        var all = itemsOfType.Select(count => (long)count).ToArray();
        var intervals = Intervals.BootstrapTypes(itemsOfType, [Percent, Alpha], resamples);
        var n = itemsOfType.Sum();
        return (new AgreementEstimate(Percent(all), n, intervals[0]), new AgreementEstimate(Alpha(all), n, intervals[1]));
    }

    /// <summary>
    /// Raw agreement, α and Cohen's κ of two annotators, from how many items both rated got each pair of labels:
    /// <paramref name="itemsOfType"/>[first × <paramref name="labelCount"/> + second].
    /// </summary>
    /// <remarks>An item is one of <paramref name="labelCount"/>² label pairs, its type.</remarks>
    /// <remarks>
    /// The result depends on the table alone (the bootstrap's draws are seeded), and after a few new verdicts most
    /// annotator pairs' tables are as they were: results are remembered by table, so the next report recomputes only
    /// the pairs whose tables moved (at 100 000 pairs the bootstraps of 45 annotator pairs take a quarter second).
    /// </remarks>
    public static (AgreementEstimate Percent, AgreementEstimate Alpha, AgreementEstimate Kappa) TwoAnnotators(
        IReadOnlyList<int> itemsOfType, int labelCount, int resamples = 1000)
    {
        var key = $"{labelCount}:{resamples}:{string.Join(',', itemsOfType)}";
        if (TwoAnnotatorResults.TryGetValue(key, out var known)) return known;
        var result = ComputeTwoAnnotators(itemsOfType, labelCount, resamples);
        if (TwoAnnotatorResults.Count >= RememberedTables) TwoAnnotatorResults.Clear();
        TwoAnnotatorResults[key] = result;
        return result;
    }

    private const int RememberedTables = 10_000;

    private static readonly ConcurrentDictionary<string, (AgreementEstimate, AgreementEstimate, AgreementEstimate)> TwoAnnotatorResults =
        new(StringComparer.Ordinal);

    private static (AgreementEstimate Percent, AgreementEstimate Alpha, AgreementEstimate Kappa) ComputeTwoAnnotators(
        IReadOnlyList<int> itemsOfType, int labelCount, int resamples)
    {
        var n = itemsOfType.Sum();
        var firstCounts = new double[labelCount];
        var secondCounts = new double[labelCount];
        double agree = 0, count = 0;
        // Both annotators' label counts, the agreeing items and the items of a sample; false for an empty one.
        bool Tally(long[] sample)
        {
            Array.Clear(firstCounts);
            Array.Clear(secondCounts);
            agree = count = 0;
            for (var a = 0; a < labelCount; a++)
                for (var b = 0; b < labelCount; b++)
                {
                    var items = sample[a * labelCount + b];
                    firstCounts[a] += items;
                    secondCounts[b] += items;
                    if (a == b) agree += items;
                    count += items;
                }
            return count > 0;
        }

        // With two ratings per item: agreement is 0/1 per item, a mismatch is 2 off-diagonal coincidences.
        double? Percent(long[] sample) => Tally(sample) ? agree / count : null;
        double? Alpha(long[] sample)
        {
            if (!Tally(sample)) return null;
            var total = 2.0 * count;
            var mismatched = 2 * (count - agree);
            var squares = 0.0;
            for (var c = 0; c < labelCount; c++) squares += (firstCounts[c] + secondCounts[c]) * (firstCounts[c] + secondCounts[c]);
            var expectedMismatches = total * total - squares;
            return expectedMismatches == 0 ? null : 1 - (total - 1) * mismatched / expectedMismatches;
        }
        double? Kappa(long[] sample)
        {
            if (!Tally(sample)) return null;
            var observed = agree / count;
            var expected = 0.0;
            for (var c = 0; c < labelCount; c++) expected += firstCounts[c] / count * (secondCounts[c] / count);
            return expected >= 1 ? null : (observed - expected) / (1 - expected);
        }

        var all = itemsOfType.Select(items => (long)items).ToArray();
        var intervals = Intervals.BootstrapTypes(itemsOfType, [Percent, Alpha, Kappa], resamples);
        return (new AgreementEstimate(Percent(all), n, intervals[0]), new AgreementEstimate(Alpha(all), n, intervals[1]),
            new AgreementEstimate(Kappa(all), n, intervals[2]));
    }

    /// <summary>Codes 0 … 3 of the verdicts (both-bad never reaches agreement, but keeps its code).</summary>
    public const int VerdictLabels = 4;

    /// <summary>
    /// For every annotator pair (first before second in ordinal order) that rated an item together, how many of their
    /// shared items got each pair of labels, in <see cref="TwoAnnotators"/>' layout. Each entry of
    /// <paramref name="items"/> is one item's ratings and how many items have exactly those.
    /// </summary>
    public static Dictionary<(string First, string Second), int[]> ByAnnotatorPair(
        IEnumerable<(IEnumerable<(string Annotator, int Label)> Ratings, int Items)> items, int labelCount)
    {
        var result = new Dictionary<(string, string), int[]>();
        foreach (var (item, count) in items)
        {
            var ratings = item.OrderBy(r => r.Annotator, StringComparer.Ordinal).ToList();
            for (var i = 0; i < ratings.Count; i++)
                for (var j = i + 1; j < ratings.Count; j++)
                {
                    var key = (ratings[i].Annotator, ratings[j].Annotator);
                    if (!result.TryGetValue(key, out var table)) result[key] = table = new int[labelCount * labelCount];
                    table[ratings[i].Label * labelCount + ratings[j].Label] += count;
                }
        }
        return result;
    }
}
