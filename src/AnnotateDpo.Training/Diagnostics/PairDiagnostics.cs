using AnnotateDpo.Training.Pipeline;

namespace AnnotateDpo.Training.Diagnostics;

/// <summary>What went wrong, or suspiciously right, with one eval pair during DPO.</summary>
[Flags]
public enum PairFlags
{
    None = 0,

    /// <summary>The chosen answer became less likely while the margin grew ("likelihood displacement").</summary>
    Displacement = 1,

    /// <summary>The rejected answer's likelihood collapsed.</summary>
    Suppression = 2,

    /// <summary>Chosen and rejected share almost all their tokens: the pair teaches little beyond a few tokens.</summary>
    NearIdentical = 4,

    /// <summary>The pair is won on summed log-probabilities but lost per token: the win comes from the length difference.</summary>
    LengthDrivenWin = 8,
}

/// <summary>How a pair moved, for colouring it: the first that applies, in this order.</summary>
public enum PairOutcome
{
    Displacement,
    Suppression,
    ChosenRose,
    Other,
}

/// <summary>The thresholds behind the flags; the defaults are what the dynamics page uses.</summary>
public sealed record PairDiagnosticsOptions
{
    /// <summary>Changes of a log-probability smaller than this (nats) count as no change. Default: 0.05.</summary>
    public double Tolerance { get; init; } = 0.05;

    /// <summary>A rejected answer whose log-probability fell by at least this (nats, summed) collapsed. Default: 5 (p_l shrank ~150×).</summary>
    public double SuppressionDrop { get; init; } = 5;

    /// <summary>Pairs whose normalised token edit distance is below this are near-identical. Default: 0.1.</summary>
    public double NearIdenticalDistance { get; init; } = 0.1;
}

/// <summary>Log-probabilities of one pair at one eval step.</summary>
public sealed record TrajectoryPoint(int Step, double Chosen, double Rejected);

/// <summary>
/// One eval pair over the DPO stage. Deltas are against the eval pass before the first step, whose policy is the
/// reference (the SFT model). <see cref="Margin"/> is h = Δlog p_w − Δlog p_l, the log-ratio margin of the loss;
/// <see cref="Weight"/> is σ(−β·h), the share of the full gradient the pair still gets. <see cref="Key"/> is the pair's
/// key in its workspace when the run logged it; <see cref="Base"/> the pair under the base model, before SFT, when the
/// run had SFT first.
/// </summary>
public sealed record PairDiagnostic(
    int Index,
    double ReferenceChosen,
    double ReferenceRejected,
    double DeltaChosen,
    double DeltaRejected,
    double Margin,
    double Weight,
    int? ChosenTokens,
    int? RejectedTokens,
    double? EditDistance,
    PairFlags Flags,
    PairOutcome Outcome,
    IReadOnlyList<TrajectoryPoint> Trajectory,
    string? Key = null,
    TrajectoryPoint? Base = null)
{
    /// <summary>Chosen minus rejected response tokens; null when the log has no token counts.</summary>
    public int? LengthDifference => ChosenTokens - RejectedTokens;

    /// <summary>Whether the reference preferred the rejected answer per token (p_l > p_w in geometric-mean terms).</summary>
    public bool? RejectedPreferredAtReference =>
        ChosenTokens is > 0 && RejectedTokens is > 0
            ? ReferenceRejected / RejectedTokens.Value > ReferenceChosen / ChosenTokens.Value
            : null;

    public bool Has(PairFlags flag) => (Flags & flag) == flag;
}

/// <summary>The eval split in numbers: what DPO did to the chosen and the rejected answers on average.</summary>
public sealed record PairSummary(
    int Count,
    int LastStep,
    double MeanDeltaChosen,
    double MeanDeltaRejected,
    double MeanWeight,
    int DisplacementCount,
    int SuppressionCount,
    int NearIdenticalCount,
    int LengthDrivenWinCount,
    int ChosenRoseCount,
    int? RejectedPreferredAtReferenceCount)
{
    public double DisplacementShare => Count == 0 ? 0 : (double)DisplacementCount / Count;
}

/// <summary>Per-pair diagnostics of a run's DPO stage.</summary>
public sealed record PairDiagnosticsReport(IReadOnlyList<PairDiagnostic> Pairs, PairSummary Summary);

/// <summary>Computes <see cref="PairDiagnosticsReport"/> from the DPO passes of <c>eval_pairs.jsonl</c>.</summary>
public static class PairDiagnostics
{
    /// <param name="passes">The log's passes; only the dpo stage's are read, and its pass at step 0 must be among them.</param>
    /// <param name="beta">The run's β, for the weights.</param>
    public static PairDiagnosticsReport Compute(IReadOnlyList<EvalPass> passes, double beta, PairDiagnosticsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(passes);
        if (!(beta > 0))
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "β must be positive.");
        options ??= new PairDiagnosticsOptions();
        var dpo = passes.Where(p => p.Stage == RunLog.StageName(TrainingStage.Dpo)).OrderBy(p => p.Step).ToList();
        if (dpo.Count == 0 || dpo[0].Step != 0)
            throw new InvalidDataException(
                $"{RunLog.EvalPairsFileName} has no dpo pass at step 0, so the pairs' reference log-probabilities are unknown.");
        var reference = dpo[0];
        var last = dpo[^1];
        var byIndex = dpo.Select(pass => pass.Pairs.ToDictionary(p => p.Index)).ToList();

        var basePoints = passes.FirstOrDefault(p => p.Stage == RunLog.BaseStage)?.Pairs.ToDictionary(p => p.Index) ?? [];
        var pairs = new List<PairDiagnostic>(reference.Pairs.Count);
        foreach (var start in reference.Pairs.OrderBy(p => p.Index))
        {
            var trajectory = new List<TrajectoryPoint>(dpo.Count);
            for (var i = 0; i < dpo.Count; i++)
            {
                if (!byIndex[i].TryGetValue(start.Index, out var point))
                    throw new InvalidDataException(
                        $"{RunLog.EvalPairsFileName}: the dpo pass at step {dpo[i].Step} lacks eval pair {start.Index}.");
                trajectory.Add(new TrajectoryPoint(dpo[i].Step, point.Chosen, point.Rejected));
            }
            var diagnostic = Diagnose(start, trajectory[^1], trajectory, beta, options);
            pairs.Add(basePoints.TryGetValue(start.Index, out var atBase)
                ? diagnostic with { Base = new TrajectoryPoint(0, atBase.Chosen, atBase.Rejected) }
                : diagnostic);
        }

        return new PairDiagnosticsReport(pairs, Summarise(pairs, last.Step));
    }

    private static PairDiagnostic Diagnose(
        EvalPairRecord start, TrajectoryPoint end, IReadOnlyList<TrajectoryPoint> trajectory, double beta, PairDiagnosticsOptions options)
    {
        var deltaChosen = end.Chosen - start.Chosen;
        var deltaRejected = end.Rejected - start.Rejected;
        var margin = deltaChosen - deltaRejected;
        var chosenTokens = start.ChosenTokens ?? start.ChosenIds?.Count;
        var rejectedTokens = start.RejectedTokens ?? start.RejectedIds?.Count;
        double? editDistance = start.ChosenIds is { } chosenIds && start.RejectedIds is { } rejectedIds
            ? TokenEditDistance.Normalized(chosenIds, rejectedIds)
            : null;

        var flags = PairFlags.None;
        if (deltaChosen < -options.Tolerance && margin > options.Tolerance)
            flags |= PairFlags.Displacement;
        if (deltaRejected <= -options.SuppressionDrop)
            flags |= PairFlags.Suppression;
        if (editDistance < options.NearIdenticalDistance)
            flags |= PairFlags.NearIdentical;
        if (margin > options.Tolerance && chosenTokens is > 0 && rejectedTokens is > 0
            && deltaChosen / chosenTokens.Value - deltaRejected / rejectedTokens.Value <= 0)
            flags |= PairFlags.LengthDrivenWin;

        var outcome = (flags & PairFlags.Displacement) != 0 ? PairOutcome.Displacement
            : (flags & PairFlags.Suppression) != 0 ? PairOutcome.Suppression
            : deltaChosen > options.Tolerance ? PairOutcome.ChosenRose
            : PairOutcome.Other;

        return new PairDiagnostic(start.Index, start.Chosen, start.Rejected, deltaChosen, deltaRejected, margin,
            DpoField.Sigmoid(-beta * margin), chosenTokens, rejectedTokens, editDistance, flags, outcome, trajectory, start.Key);
    }

    private static PairSummary Summarise(IReadOnlyList<PairDiagnostic> pairs, int lastStep)
    {
        int Count(PairFlags flag) => pairs.Count(p => p.Has(flag));
        double Mean(Func<PairDiagnostic, double> value) => pairs.Count == 0 ? 0 : pairs.Average(value);
        var atReference = pairs.Select(p => p.RejectedPreferredAtReference).ToList();
        return new PairSummary(
            pairs.Count,
            lastStep,
            Mean(p => p.DeltaChosen),
            Mean(p => p.DeltaRejected),
            Mean(p => p.Weight),
            Count(PairFlags.Displacement),
            Count(PairFlags.Suppression),
            Count(PairFlags.NearIdentical),
            Count(PairFlags.LengthDrivenWin),
            pairs.Count(p => p.Outcome == PairOutcome.ChosenRose),
            atReference.Count > 0 && atReference.All(v => v is not null) ? atReference.Count(v => v == true) : null);
    }
}
