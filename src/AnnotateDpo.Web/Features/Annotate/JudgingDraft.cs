using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;

namespace AnnotateDpo.Web.Features.Annotate;

/// <summary>The verdict being put together for the pair on screen, by buttons or keys.</summary>
public sealed class JudgingDraft
{
    public ShownVerdict? Verdict { get; private set; }
    public VerdictStrength? Strength { get; private set; }
    public string? Rationale { get; set; }

    /// <summary>Left or right better needs a strength; tie and both bad have none.</summary>
    public bool TakesStrength => Verdict is null or ShownVerdict.Left or ShownVerdict.Right;

    public bool CanSubmit => Verdict is not null && (!TakesStrength || Strength is not null);

    /// <summary>A draft holding the verdict being revised, or an empty one.</summary>
    public static JudgingDraft For(PreviousJudgment? revising) =>
        new() { Verdict = revising?.Verdict, Strength = revising?.Strength, Rationale = revising?.Rationale };

    public void Choose(ShownVerdict verdict)
    {
        Verdict = verdict;
        if (!TakesStrength) Strength = null;
    }

    public void Choose(VerdictStrength strength)
    {
        if (TakesStrength) Strength = strength;
    }

    public JudgmentSubmission ToSubmission(QueuedPair pair, string annotator, double secondsSpent) => new(
        pair.PairId, annotator, Verdict ?? throw new InvalidOperationException("Choose a verdict before submitting."),
        Strength, Rationale, pair.ShownOrder, secondsSpent);
}
