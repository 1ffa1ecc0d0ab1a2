using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Statistics;

namespace AnnotateDpo.Core.Tests.Statistics;

public class AnnotatorAgreementTests
{
    private static (string Item, Vote Vote) V(string item, string annotator, Verdict verdict, ShownOrder order = ShownOrder.AB) =>
        (item, new Vote(annotator, verdict, order));

    /// <summary>Each item's votes as a vote set of one pair.</summary>
    private static List<VoteSet> Sets(IEnumerable<(string Item, Vote Vote)> verdicts) =>
        verdicts.GroupBy(v => v.Item).Select(item => new VoteSet(item.Select(v => v.Vote).ToList(), 1)).ToList();

    [Fact]
    public void Pairwise_TwoAnnotatorsAgreeingOnEightOfTen_KnownRawAlphaAndKappa()
    {
        // a: A×5, B×5; b differs on items 5 and 10. p_o = 0.8, p_e = 0.5, so κ = 0.6; α = 1 − 19·4 / (20² − 2·10²) = 0.62.
        Verdict[] a = [Verdict.A, Verdict.A, Verdict.A, Verdict.A, Verdict.A, Verdict.B, Verdict.B, Verdict.B, Verdict.B, Verdict.B];
        Verdict[] b = [Verdict.A, Verdict.A, Verdict.A, Verdict.A, Verdict.B, Verdict.B, Verdict.B, Verdict.B, Verdict.B, Verdict.A];
        var verdicts = Enumerable.Range(0, 10).SelectMany(i => new[] { V($"p{i}", "a", a[i]), V($"p{i}", "b", b[i]) })
            .Append(V("p10", "a", Verdict.A)).Append(V("p10", "b", Verdict.BothBad))
            .Append(V("p0", "c", Verdict.A)).Append(V("p1", "c", Verdict.B))
            .ToList();

        var pairs = AnnotatorAgreement.Pairwise(Sets(verdicts), minimumSharedItems: 10);

        var pair = Assert.Single(pairs);
        Assert.Equal(("a", "b", 10), (pair.First, pair.Second, pair.Items));
        Assert.Equal(0.8, pair.PercentAgreement.Value!.Value, 12);
        Assert.Equal(0.62, pair.KrippendorffAlpha.Value!.Value, 12);
        Assert.Equal(0.6, pair.CohensKappa.Value!.Value, 12);
        Assert.True(pair.CohensKappa.Interval95!.Contains(0.6));
    }

    [Fact]
    public void Profiles_ThreeAnnotators_AgreementWithThePluralityOfTheOthersAndShares()
    {
        List<(string, Vote)> verdicts =
        [
            V("1", "a", Verdict.A), V("1", "b", Verdict.A), V("1", "c", Verdict.A),
            V("2", "a", Verdict.B), V("2", "b", Verdict.A), V("2", "c", Verdict.A),
            V("3", "a", Verdict.Tie), V("3", "b", Verdict.Tie),
            V("4", "a", Verdict.BothBad), V("4", "b", Verdict.A),
            V("5", "a", Verdict.A), V("5", "b", Verdict.A), V("5", "c", Verdict.B),
        ];

        var profiles = AnnotatorAgreement.Profiles(Sets(verdicts)).ToDictionary(p => p.Annotator);

        var a = profiles["a"];
        // Compared on 1 (agrees), 2 (differs) and 3 (agrees); 4 is a's both-bad and on 5 the others split.
        Assert.Equal((5, 3), (a.Verdicts, a.MajorityItems));
        Assert.Equal(2.0 / 3, a.MajorityAgreement!.Value, 12);
        Assert.Equal(0.2, a.TieShare, 12);
        Assert.Equal(0.2, a.BothBadShare, 12);
        Assert.Equal((3, 2), (a.Position.Verdicts, a.Position.ForLeft));
        // b: compared on 1 and 3 only (2 and 5 split, 4 has no other usable verdict); agrees with both.
        Assert.Equal((2, 1.0), (profiles["b"].MajorityItems, profiles["b"].MajorityAgreement!.Value));
        Assert.Equal(["a", "b", "c"], profiles.Keys.Order());
    }

    [Fact]
    public void Profiles_SingleAnnotator_NoMajorityToCompareWith()
    {
        var profiles = AnnotatorAgreement.Profiles(Sets([V("1", "a", Verdict.A)]));

        var only = Assert.Single(profiles);
        Assert.Equal(0, only.MajorityItems);
        Assert.Null(only.MajorityAgreement);
    }

    [Fact]
    public void PairwiseAndProfiles_VoteSetsCountedManyTimes_EqualEachPairListedOnItsOwn()
    {
        var random = new Random(3);
        string[] annotators = ["a", "b", "c", "d"];
        var sets = Enumerable.Range(0, 40).Select(_ => new VoteSet(
            annotators.OrderBy(_ => random.Next()).Take(2 + random.Next(3))
                .Select(a => new Vote(a, (Verdict)random.Next(4), (ShownOrder)random.Next(2))).ToList(),
            1 + random.Next(4))).ToList();
        var listed = sets.SelectMany(set => Enumerable.Repeat(set with { Pairs = 1 }, set.Pairs)).ToList();

        Assert.Equivalent(AnnotatorAgreement.Pairwise(listed, 10), AnnotatorAgreement.Pairwise(sets, 10), strict: true);
        Assert.Equivalent(AnnotatorAgreement.Profiles(listed), AnnotatorAgreement.Profiles(sets), strict: true);
    }
}
