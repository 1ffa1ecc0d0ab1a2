using static TorchSharp.torch;

namespace AnnotateDpo.Training.Models;

/// <summary>Position ids and attention masks shared by every architecture, so padding behaves the same in all.</summary>
public static class AttentionMasks
{
    /// <summary>
    /// Position of each new token counted over real tokens only, so left padding does not shift positions.
    /// </summary>
    /// <param name="attentionMask">(B, S) 1 = real, 0 = padding; S = past + T. Null: positions past .. past + T - 1.</param>
    /// <returns>(B, T) int64</returns>
    public static Tensor PositionIds(Tensor inputIds, Tensor? attentionMask, long past)
    {
        var (batch, length) = (inputIds.shape[0], inputIds.shape[1]);
        if (attentionMask is null)
        {
            using var positions = arange(past, past + length, dtype: ScalarType.Int64, device: inputIds.device); // (T)
            return positions.expand(batch, length);
        }

        using var asLong = attentionMask.to(ScalarType.Int64); // (B, S)
        using var cumulative = asLong.cumsum(-1);
        using var counted = cumulative - 1;
        using var clamped = counted.clamp_min(0);
        return clamped[.., ^(int)length..].contiguous(); // (B, T)
    }

    /// <summary>
    /// Boolean mask (B, 1, T, S), true where query t may attend key s: causal over absolute positions and not
    /// padding. Each query may always attend itself, so padding rows never softmax over nothing (their outputs are
    /// ignored, and no real token attends to padding). Null when plain causal attention suffices.
    /// </summary>
    public static Tensor? CausalMask(Tensor? attentionMask, long queryLength, long past, Device device)
    {
        if (attentionMask is null && past == 0)
            return null;

        var keyLength = past + queryLength;
        using var queries = arange(past, keyLength, dtype: ScalarType.Int64, device: device); // (T)
        using var queryPositions = queries.unsqueeze(1); // (T, 1)
        using var keys = arange(keyLength, dtype: ScalarType.Int64, device: device); // (S)
        using var keyPositions = keys.unsqueeze(0); // (1, S)
        using var causal = keyPositions.le(queryPositions); // (T, S)
        if (attentionMask is null)
        {
            using var expanded = causal.expand(1, 1, queryLength, keyLength); // (1, 1, T, S)
            return expanded.contiguous();
        }

        using var asBool = attentionMask.to(ScalarType.Bool); // (B, S)
        using var isKey = asBool[.., TensorIndex.None, TensorIndex.None, ..]; // (B, 1, 1, S)
        using var self = keyPositions.eq(queryPositions); // (T, S)
        using var allowed = causal.logical_and(isKey); // (B, 1, T, S)
        return allowed.logical_or(self);
    }
}
