using System.Text;
using AnnotateDpo.Core.Domain;

namespace AnnotateDpo.Core.Statistics;

/// <summary>One latest verdict on a pair: an annotator's own, an imported one, or a manager's final verdict.</summary>
public sealed record Vote(string Annotator, Verdict Verdict, ShownOrder Order, bool IsFinal = false)
{
    /// <summary>
    /// Imported and final verdicts are not annotators' independent opinions: they take no part in agreement or bias.
    /// </summary>
    public bool IsIndependent => !IsFinal && Annotator != Judgment.ImportAnnotator;
}

/// <summary>
/// The latest verdicts of a pair, and how many pairs have exactly these. Every agreement and bias figure reads a pair
/// only through its votes, so a workspace's pairs are summed up by their distinct vote sets.
/// </summary>
public sealed record VoteSet(IReadOnlyList<Vote> Votes, int Pairs)
{
    // Control characters no annotator id holds: one between a vote's fields, one between votes.
    private const char FieldSeparator = '\u001f';
    private const char VoteSeparator = '\u001e';

    /// <summary>The votes as one text, the same for the same votes in any order.</summary>
    public static string Encode(IEnumerable<Vote> votes)
    {
        var text = new StringBuilder();
        foreach (var vote in votes.OrderBy(v => v.Annotator, StringComparer.Ordinal).ThenBy(v => v.IsFinal))
        {
            if (vote.Annotator.Contains(FieldSeparator) || vote.Annotator.Contains(VoteSeparator))
                throw new ArgumentException($"Annotator id '{vote.Annotator}' holds a control character.", nameof(votes));
            if (text.Length > 0) text.Append(VoteSeparator);
            text.Append(vote.Annotator).Append(FieldSeparator).Append(Digit((int)vote.Verdict))
                .Append(FieldSeparator).Append(Digit((int)vote.Order)).Append(FieldSeparator).Append(vote.IsFinal ? '1' : '0');
        }
        return text.ToString();
    }

    public static VoteSet Decode(string text, int pairs) =>
        new(text.Length == 0 ? [] : text.Split(VoteSeparator).Select(vote =>
        {
            var fields = vote.Split(FieldSeparator);
            return new Vote(fields[0], (Verdict)(fields[1][0] - '0'), (ShownOrder)(fields[2][0] - '0'), fields[3] == "1");
        }).ToList(), pairs);

    private static char Digit(int code) => (char)('0' + code);

    /// <summary>The annotators' independent votes only (<see cref="Vote.IsIndependent"/>).</summary>
    public VoteSet Independent() => new(Votes.Where(v => v.IsIndependent).ToList(), Pairs);

    /// <summary>Every vote as often as pairs hold it.</summary>
    public IEnumerable<Vote> EachVote() => Votes.SelectMany(v => Enumerable.Repeat(v, Pairs));
}
