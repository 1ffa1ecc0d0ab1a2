using AnnotateDpo.Core.Domain;

namespace AnnotateDpo.Core.Curation;

public enum PairOutcome
{
    /// <summary>Response A is chosen, B rejected.</summary>
    AChosen,
    /// <summary>Response B is chosen, A rejected.</summary>
    BChosen,
    Tie,
    BothBad,
    /// <summary>The latest verdicts have no strict majority.</summary>
    Disagreement,
    Unjudged,
}

public sealed record PairResolution(PairOutcome Outcome, int Votes)
{
    public bool IsResolved => Outcome is PairOutcome.AChosen or PairOutcome.BChosen;
}

/// <summary>How many annotators' latest judgments of one pair gave one verdict; <paramref name="LastId"/> orders finals.</summary>
public sealed record VoteTally(Verdict Verdict, bool IsFinal, int Count, long LastId);

/// <summary>Turns the judgments of one pair into chosen / rejected, or the reason it has none.</summary>
public static class PairResolver
{
    public static PairResolution Resolve(IEnumerable<Judgment> judgments) =>
        Resolve(LatestPerAnnotator(judgments)
            .GroupBy(j => (j.Verdict, j.IsFinal))
            .Select(g => new VoteTally(g.Key.Verdict, g.Key.IsFinal, g.Count(), g.Max(j => j.Id))));

    /// <summary>
    /// A manager's final verdict decides when there is one (the latest such). Otherwise each annotator's latest
    /// verdict is one vote and a strict plurality decides; a plurality of ties or of both-bad excludes the pair.
    /// Takes tallies so that SQL can do the counting over large workspaces.
    /// </summary>
    public static PairResolution Resolve(IEnumerable<VoteTally> latestVotes)
    {
        var tallies = latestVotes.ToList();
        var votes = tallies.Sum(t => t.Count);
        if (votes == 0) return new(PairOutcome.Unjudged, 0);

        var final = tallies.Where(t => t.IsFinal).MaxBy(t => t.LastId);
        if (final is not null) return new(ToOutcome(final.Verdict), votes);

        var ranked = tallies.GroupBy(t => t.Verdict).Select(g => (Verdict: g.Key, Count: g.Sum(t => t.Count)))
            .OrderByDescending(t => t.Count).ToList();
        var hasStrictPlurality = ranked.Count == 1 || ranked[0].Count > ranked[1].Count;
        return new(hasStrictPlurality ? ToOutcome(ranked[0].Verdict) : PairOutcome.Disagreement, votes);
    }

    /// <summary>
    /// The judgment of each annotator that no later one of theirs supersedes, and apart from it their latest final
    /// verdict, if they gave one as a manager. Rows are only ever appended, so the highest id is the latest; that is
    /// the rule the SQL queries use too.
    /// </summary>
    public static IReadOnlyList<Judgment> LatestPerAnnotator(IEnumerable<Judgment> judgments) =>
        judgments.GroupBy(j => (j.AnnotatorId, j.IsFinal))
            .Select(g => g.MaxBy(j => j.Id)!)
            .ToList();

    private static PairOutcome ToOutcome(Verdict verdict) => verdict switch
    {
        Verdict.A => PairOutcome.AChosen,
        Verdict.B => PairOutcome.BChosen,
        Verdict.Tie => PairOutcome.Tie,
        Verdict.BothBad => PairOutcome.BothBad,
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, null),
    };
}
