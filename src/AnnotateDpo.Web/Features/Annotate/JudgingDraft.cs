using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;

namespace AnnotateDpo.Web.Features.Annotate;

/// <summary>The verdict being put together for the pair on screen, by buttons or keys, and a better answer being written.</summary>
public sealed class JudgingDraft
{
    /// <summary>The draft field names the browser stores typed text under (data-draft-field).</summary>
    public const string RationaleField = "rationale";

    private string? _savedRationale;

    public ShownVerdict? Verdict { get; private set; }
    public VerdictStrength? Strength { get; private set; }
    public string? Rationale { get; set; }

    /// <summary>The better answer being written, or null while none is.</summary>
    public RewriteDraft? Rewrite { get; private set; }

    /// <summary>Left or right better needs a strength; tie and both bad have none.</summary>
    public bool TakesStrength => Verdict is null or ShownVerdict.Left or ShownVerdict.Right;

    public bool CanSubmit => Verdict is not null && (!TakesStrength || Strength is not null);

    /// <summary>Text typed here that no submission holds yet: a new rationale, or a changed better answer.</summary>
    public bool HasUnsavedText =>
        (!string.IsNullOrWhiteSpace(Rationale) && Rationale != _savedRationale) || Rewrite is { IsChanged: true };

    /// <summary>A draft holding the verdict being revised, or an empty one.</summary>
    public static JudgingDraft For(PreviousJudgment? revising) => new()
    {
        Verdict = revising?.Verdict, Strength = revising?.Strength, Rationale = revising?.Rationale, _savedRationale = revising?.Rationale,
    };

    public void Choose(ShownVerdict verdict)
    {
        Verdict = verdict;
        if (!TakesStrength) Strength = null;
    }

    public void Choose(VerdictStrength strength)
    {
        if (TakesStrength) Strength = strength;
    }

    /// <summary>Opens the better-answer editor on one response's text (or on <paramref name="text"/>, a restored draft); one editor at a time.</summary>
    public void StartRewrite(QueuedPair pair, ShownSide side, string? text = null)
    {
        var original = side == ShownSide.Left ? pair.Left : pair.Right;
        Rewrite = new RewriteDraft(side, original) { Text = text ?? original };
    }

    public void CloseRewrite() => Rewrite = null;

    /// <summary>Puts back what the browser kept of this pair's typing (field name to text).</summary>
    public void Restore(QueuedPair pair, IReadOnlyDictionary<string, string> stored)
    {
        if (stored.TryGetValue(RationaleField, out var rationale)) Rationale = rationale;
        foreach (var side in Enum.GetValues<ShownSide>())
        {
            if (stored.TryGetValue(RewriteDraft.FieldFor(side), out var text)) StartRewrite(pair, side, text);
        }
    }

    public JudgmentSubmission ToSubmission(QueuedPair pair, string annotator, double secondsSpent) => new(
        pair.PairId, annotator, Verdict ?? throw new InvalidOperationException("Choose a verdict before submitting."),
        Strength, Rationale, pair.ShownOrder, secondsSpent);
}

/// <summary>Where a response stood on the annotator's screen.</summary>
public enum ShownSide { Left, Right }

/// <summary>A better answer written from the response on one side; <see cref="Text"/> starts as that response.</summary>
public sealed class RewriteDraft(ShownSide side, string original)
{
    public ShownSide Side { get; } = side;
    public string Original { get; } = original;
    public string Text { get; set; } = original;

    /// <summary>Whether the answer also becomes an SFT example (submitted for review); off by default.</summary>
    public bool AlsoSftExample { get; set; }

    public bool IsChanged => !string.IsNullOrWhiteSpace(Text) && Text.Trim() != Original.Trim();

    /// <summary>The draft field name the browser stores this side's text under.</summary>
    public string Field => FieldFor(Side);

    public static string FieldFor(ShownSide side) => side == ShownSide.Left ? "rewrite:left" : "rewrite:right";

    public PairRewrite ToRewrite(QueuedPair pair, string annotator, double secondsSpent)
    {
        var fromA = (Side == ShownSide.Left) == (pair.ShownOrder == ShownOrder.AB);
        return new PairRewrite(pair.PairId, annotator, fromA ? PairSide.A : PairSide.B, Text, pair.ShownOrder, AlsoSftExample, secondsSpent);
    }
}
