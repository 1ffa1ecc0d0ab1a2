using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Statistics;
using AnnotateDpo.Core.Text;

namespace AnnotateDpo.Core.Tests.Statistics;

public class BiasTests
{
    [Fact]
    public void Position_VerdictsAlwaysForTheLeft_AreFlagged()
    {
        var judgments = Enumerable.Range(0, 20)
            .Select(i => i % 2 == 0 ? (ShownOrder.AB, Verdict.A) : (ShownOrder.BA, Verdict.B))
            .Append((ShownOrder.AB, Verdict.Tie));

        var bias = Bias.Position(judgments);

        Assert.Equal((20, 20, 1.0, true), (bias.Verdicts, bias.ForLeft, bias.LeftShare, bias.Flagged));
    }

    [Fact]
    public void Position_BalancedVerdicts_AreNotFlagged()
    {
        var judgments = Enumerable.Range(0, 40)
            .Select(i => (i % 2 == 0 ? ShownOrder.AB : ShownOrder.BA, i % 4 < 2 ? Verdict.A : Verdict.B));

        var bias = Bias.Position(judgments);

        Assert.Equal(0.5, bias.LeftShare);
        Assert.False(bias.Flagged);
    }

    [Fact]
    public void Length_CountsLongerChosenAmongUnequalPairs()
    {
        // ("long answer", "short"), ("ab", "abcd"), ("same", "sama"): two of unequal length, one with the longer chosen.
        var bias = Bias.Length(pairs: 3, unequal: 2, longerChosen: 1, difference: 6 - 2 + 0);

        Assert.Equal(3, bias.Pairs);
        Assert.Equal(0.5, bias.LongerChosenShare);
        Assert.Equal((6 - 2 + 0) / 3.0, bias.MeanLengthDifference, 12);
    }

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("油圧ポンプ", "油圧バルブ", 3)]
    [InlineData("same", "same", 0)]
    public void Levenshtein_KnownDistances(string a, string b, int expected)
    {
        Assert.Equal(expected, EditDistance.Levenshtein(a, b));
        Assert.Equal(expected, EditDistance.Levenshtein(b, a));
    }

    [Fact]
    public void IsNearIdentical_OneWordChangedInALongAnswer_IsTrue()
    {
        const string answer = "トルクレンチで 400 N·m に締め付け、マーキングして記録する。締付後は 10 分運転して再確認する。";

        Assert.True(Bias.IsNearIdentical(answer, answer.Replace("400", "40")));
        Assert.False(Bias.IsNearIdentical(answer, "そのまま運転を続けて様子を見る。"));
    }

    [Fact]
    public void PositionSwapOf_NoRepeats_ShareIsUndefined()
    {
        Assert.Equal(PositionSwapConsistency.None, PositionSwapConsistency.Of(0, 0));
        Assert.Equal(0.8, PositionSwapConsistency.Of(5, 4).Share!.Value, 12);
    }

    [Fact]
    public void IsNearIdentical_LengthsTenPercentApart_AgreesWithTheEditDistance()
    {
        var random = new Random(3);
        for (var i = 0; i < 500; i++)
        {
            var a = new string(Enumerable.Range(0, 5 + random.Next(40)).Select(_ => (char)('a' + random.Next(3))).ToArray());
            var b = new string(Enumerable.Range(0, 5 + random.Next(40)).Select(_ => (char)('a' + random.Next(3))).ToArray());

            var expected = EditDistance.Normalized(TextNormalizer.Normalize(a), TextNormalizer.Normalize(b)) < Bias.NearIdenticalDistance;

            Assert.Equal(expected, Bias.IsNearIdentical(a, b));
        }
    }
}
