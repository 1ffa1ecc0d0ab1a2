using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;

namespace AnnotateDpo.Core.Tests.Curation;

public class PairResolverTests
{
    private long _nextId = 1;

    private Judgment Vote(string annotator, Verdict verdict, bool isFinal = false) => new()
    {
        Id = _nextId++,
        Key = $"j-{_nextId}",
        AnnotatorId = annotator,
        Verdict = verdict,
        IsFinal = isFinal,
    };

    [Fact]
    public void Resolve_NoJudgments_IsUnjudged()
    {
        var resolution = PairResolver.Resolve(Array.Empty<Judgment>());

        Assert.Equal(new PairResolution(PairOutcome.Unjudged, 0), resolution);
    }

    [Fact]
    public void Resolve_Majority_DecidesChosen()
    {
        var judgments = new[] { Vote("tanaka", Verdict.B), Vote("suzuki", Verdict.B), Vote("sato", Verdict.A) };

        var resolution = PairResolver.Resolve(judgments);

        Assert.Equal(new PairResolution(PairOutcome.BChosen, 3), resolution);
    }

    [Fact]
    public void Resolve_EvenSplit_IsDisagreement()
    {
        var judgments = new[] { Vote("tanaka", Verdict.A), Vote("suzuki", Verdict.B) };

        var resolution = PairResolver.Resolve(judgments);

        Assert.Equal(PairOutcome.Disagreement, resolution.Outcome);
        Assert.False(resolution.IsResolved);
    }

    [Fact]
    public void Resolve_ChangedVerdict_OnlyLatestCounts()
    {
        var judgments = new[] { Vote("tanaka", Verdict.A), Vote("suzuki", Verdict.B), Vote("tanaka", Verdict.B) };

        var resolution = PairResolver.Resolve(judgments);

        Assert.Equal(new PairResolution(PairOutcome.BChosen, 2), resolution);
    }

    [Theory]
    [InlineData(Verdict.Tie, PairOutcome.Tie)]
    [InlineData(Verdict.BothBad, PairOutcome.BothBad)]
    public void Resolve_PluralityOfNonPreference_ExcludesPair(Verdict verdict, PairOutcome expected)
    {
        var judgments = new[] { Vote("tanaka", verdict), Vote("suzuki", verdict), Vote("sato", Verdict.A) };

        var resolution = PairResolver.Resolve(judgments);

        Assert.Equal(expected, resolution.Outcome);
    }

    [Fact]
    public void Resolve_ManagerFinalVerdict_OverridesMajority()
    {
        var judgments = new[] { Vote("tanaka", Verdict.A), Vote("suzuki", Verdict.A), Vote("manager", Verdict.B, isFinal: true) };

        var resolution = PairResolver.Resolve(judgments);

        Assert.Equal(PairOutcome.BChosen, resolution.Outcome);
    }

    [Fact]
    public void Resolve_PermutedJudgmentOrder_GivesSameOutcome()
    {
        var judgments = new[] { Vote("a", Verdict.A), Vote("b", Verdict.B), Vote("c", Verdict.A), Vote("b", Verdict.A) };

        var forward = PairResolver.Resolve(judgments);
        var reversed = PairResolver.Resolve(judgments.Reverse());

        Assert.Equal(forward, reversed);
        Assert.Equal(new PairResolution(PairOutcome.AChosen, 3), forward);
    }
}
