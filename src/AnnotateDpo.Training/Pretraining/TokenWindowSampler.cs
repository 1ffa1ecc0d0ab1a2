namespace AnnotateDpo.Training.Pretraining;

/// <summary>
/// Draws batches of (input, target) windows from a token stream: each row is T + 1 consecutive tokens starting at a
/// uniformly random offset, inputs the first T and targets the last T. A seeded <see cref="Random"/> makes the batch
/// sequence reproducible.
/// </summary>
public sealed class TokenWindowSampler
{
    private readonly int[] _tokens;
    private readonly int _sequenceLength;
    private readonly Random _random;

    public TokenWindowSampler(int[] tokens, int sequenceLength, int seed)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        if (tokens.Length < sequenceLength + 1)
        {
            throw new InvalidDataException(
                $"The token stream has {tokens.Length} tokens; a training sequence needs {sequenceLength + 1}. Add text or lower the sequence length.");
        }
        _tokens = tokens;
        _sequenceLength = sequenceLength;
        _random = new Random(seed);
    }

    /// <summary>Row-major (B × T) inputs and targets.</summary>
    public (long[] Inputs, long[] Targets) Next(int batchSize)
    {
        var inputs = new long[batchSize * _sequenceLength];
        var targets = new long[batchSize * _sequenceLength];
        for (var b = 0; b < batchSize; b++)
        {
            var start = _random.Next(0, _tokens.Length - _sequenceLength);
            for (var t = 0; t < _sequenceLength; t++)
            {
                inputs[b * _sequenceLength + t] = _tokens[start + t];
                targets[b * _sequenceLength + t] = _tokens[start + t + 1];
            }
        }
        return (inputs, targets);
    }

    /// <summary>Non-overlapping windows from the start of the stream, for a fixed evaluation set.</summary>
    public static IEnumerable<(long[] Inputs, long[] Targets)> Sequential(int[] tokens, int sequenceLength, int batchSize, int maxBatches)
    {
        var rows = (tokens.Length - 1) / sequenceLength;
        for (var first = 0; first < rows && first / batchSize < maxBatches; first += batchSize)
        {
            var count = Math.Min(batchSize, rows - first);
            var inputs = new long[count * sequenceLength];
            var targets = new long[count * sequenceLength];
            for (var b = 0; b < count; b++)
            {
                var start = (first + b) * sequenceLength;
                for (var t = 0; t < sequenceLength; t++)
                {
                    inputs[b * sequenceLength + t] = tokens[start + t];
                    targets[b * sequenceLength + t] = tokens[start + t + 1];
                }
            }
            yield return (inputs, targets);
        }
    }
}
