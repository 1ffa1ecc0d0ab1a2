using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;

namespace AnnotateDpo.Core.Statistics;

/// <summary>
/// What the statistics keep of one judged pair (table PairVoteSummaries): its resolution and the latest verdicts it
/// rests on, as one <see cref="VoteSet"/> text. Pairs judged alike share that text, so the database hands the agreement
/// figures a few thousand distinct vote sets with their counts instead of every latest judgment. Kept up to date by
/// <see cref="StatisticsFold"/>; a pair without judgments has none. The pair's workspace, category and origins are
/// copied so that the counts group this table alone: a pair row is never updated (an edit is a new pair).
/// </summary>
public sealed class PairVoteSummary
{
    public long PairId { get; set; }
    public long WorkspaceId { get; set; }
    public long? CategoryId { get; set; }
    public ResponseOrigin OriginA { get; set; }
    public ResponseOrigin OriginB { get; set; }
    public PairOutcome Outcome { get; set; }
    /// <summary>A manager's final verdict decided <see cref="Outcome"/>.</summary>
    public bool HasFinal { get; set; }
    /// <summary>The pair's latest verdicts, finals and imported ones included, in <see cref="VoteSet.Encode"/>'s form.</summary>
    public required string VoteSet { get; set; }
}

/// <summary>How many judgments one annotator made on one UTC day (table JudgingDays), for the progress chart.</summary>
public sealed class JudgingDay
{
    public long WorkspaceId { get; set; }
    public required string AnnotatorId { get; set; }
    public DateOnly Day { get; set; }
    public int Judgments { get; set; }
}

/// <summary>
/// How many of one annotator's judgments took a time within one tenth of a second (table JudgingPaces): a histogram
/// from which the medians need exact times only in the buckets that hold their middle ranks (<see cref="Progress"/>).
/// </summary>
public sealed class JudgingPace
{
    public long WorkspaceId { get; set; }
    public required string AnnotatorId { get; set; }
    /// <summary><see cref="Progress.Bucket"/> of the time spent.</summary>
    public int Bucket { get; set; }
    public int Judgments { get; set; }
}

/// <summary>A workspace's repeated judgments shown the other way round (table PositionSwapTallies), see <see cref="PositionSwapConsistency"/>.</summary>
public sealed class PositionSwapTally
{
    public long WorkspaceId { get; set; }
    public int Repeats { get; set; }
    public int Consistent { get; set; }
}

/// <summary>
/// How far <see cref="StatisticsFold"/> has read the judgments (table StatisticsWatermarks, one row): every judgment up
/// to <see cref="JudgmentId"/> is in the tables above, and there were <see cref="Judgments"/> of them.
/// </summary>
public sealed class StatisticsWatermark
{
    public const int SingleId = 1;

    public int Id { get; set; }
    public long JudgmentId { get; set; }
    public long Judgments { get; set; }
}
