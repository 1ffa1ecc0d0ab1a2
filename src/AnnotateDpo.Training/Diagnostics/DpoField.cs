namespace AnnotateDpo.Training.Diagnostics;

/// <summary>The two planes the DPO field is drawn in.</summary>
public enum FieldCoordinates
{
    /// <summary>(p_w, p_l) in (0, 1)²: the field's magnitudes stand as p_l : p_w.</summary>
    Probability,

    /// <summary>(log p_w, log p_l): every arrow points along (1, −1), only its length σ(−z)·β varies.</summary>
    LogProbability,
}

/// <summary>One arrow of the field: at (<paramref name="X"/>, <paramref name="Y"/>) the descent direction (−∂L/∂x, −∂L/∂y).</summary>
public sealed record FieldVector(double X, double Y, double Dx, double Dy)
{
    public double Magnitude => Math.Sqrt(Dx * Dx + Dy * Dy);
}

/// <summary>
/// The sigmoid DPO loss of one pair as a function of the policy's probabilities p_w = π(chosen|x) and
/// p_l = π(rejected|x), for a fixed β and reference point (r_w, r_l):
/// L = −log σ(z), z = β·log(p_w/r_w) − β·log(p_l/r_l). Its gradient is ∂L/∂p_w = −β·σ(−z)/p_w and
/// ∂L/∂p_l = β·σ(−z)/p_l: the push on each probability is inversely proportional to it, so once p_w > p_l the
/// rejected answer is pushed down faster than the chosen one is pulled up. In log coordinates both partials are
/// ±β·σ(−z), the same size. The field is −∇L, the direction gradient descent moves a pair.
/// </summary>
public sealed record DpoField
{
    /// <param name="beta">β of the run, positive.</param>
    /// <param name="referenceChosen">r_w = π_ref(chosen|x), in (0, 1).</param>
    /// <param name="referenceRejected">r_l = π_ref(rejected|x), in (0, 1).</param>
    public DpoField(double beta, double referenceChosen, double referenceRejected)
    {
        if (!(beta > 0) || double.IsInfinity(beta))
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "β must be a positive number.");
        ThrowIfNotProbability(referenceChosen, nameof(referenceChosen));
        ThrowIfNotProbability(referenceRejected, nameof(referenceRejected));
        Beta = beta;
        ReferenceChosen = referenceChosen;
        ReferenceRejected = referenceRejected;
    }

    public double Beta { get; }

    public double ReferenceChosen { get; }

    public double ReferenceRejected { get; }

    /// <summary>z = β·(log p_w − log r_w) − β·(log p_l − log r_l), from log-probabilities.</summary>
    public double Z(double logChosen, double logRejected) =>
        Beta * (logChosen - Math.Log(ReferenceChosen)) - Beta * (logRejected - Math.Log(ReferenceRejected));

    /// <summary>σ(−z): the share of the full gradient a pair still gets (1 far from winning, 0 once won).</summary>
    public double Weight(double logChosen, double logRejected) => Sigmoid(-Z(logChosen, logRejected));

    /// <summary>L = −log σ(z), computed stably for large |z|.</summary>
    public double Loss(double logChosen, double logRejected) => Softplus(-Z(logChosen, logRejected));

    /// <summary>−∇L at (p_w, p_l) in probability coordinates: (β·σ(−z)/p_w, −β·σ(−z)/p_l).</summary>
    public FieldVector AtProbabilities(double chosen, double rejected)
    {
        ThrowIfNotProbability(chosen, nameof(chosen));
        ThrowIfNotProbability(rejected, nameof(rejected));
        var push = Beta * Weight(Math.Log(chosen), Math.Log(rejected));
        return new FieldVector(chosen, rejected, push / chosen, -push / rejected);
    }

    /// <summary>−∇L at (log p_w, log p_l) in log coordinates: (β·σ(−z), −β·σ(−z)).</summary>
    public FieldVector AtLogProbabilities(double logChosen, double logRejected)
    {
        if (!(logChosen <= 0) || !(logRejected <= 0))
            throw new ArgumentOutOfRangeException(nameof(logChosen), $"Log-probabilities must be at most 0; they are ({logChosen}, {logRejected}).");
        var push = Beta * Weight(logChosen, logRejected);
        return new FieldVector(logChosen, logRejected, push, -push);
    }

    /// <summary>
    /// The field on an evenly spaced <paramref name="count"/> × <paramref name="count"/> grid over the square
    /// [<paramref name="low"/>, <paramref name="high"/>]², at the cell centres, row by row from the lowest y.
    /// Probability coordinates take a square inside [0, 1] (the centres then lie strictly inside), log coordinates
    /// one of non-positive values.
    /// </summary>
    public IReadOnlyList<FieldVector> Sample(FieldCoordinates coordinates, double low, double high, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!(low < high))
            throw new ArgumentOutOfRangeException(nameof(low), $"The grid's low end ({low}) must lie below its high end ({high}).");
        var cell = (high - low) / count;
        var vectors = new List<FieldVector>(count * count);
        for (var row = 0; row < count; row++)
        {
            var y = low + (row + 0.5) * cell;
            for (var column = 0; column < count; column++)
            {
                var x = low + (column + 0.5) * cell;
                vectors.Add(coordinates == FieldCoordinates.Probability ? AtProbabilities(x, y) : AtLogProbabilities(x, y));
            }
        }
        return vectors;
    }

    public static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    private static double Softplus(double x) => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));

    private static void ThrowIfNotProbability(double value, string name)
    {
        if (!(value > 0 && value < 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a probability strictly between 0 and 1.");
    }
}
