using static TorchSharp.torch;

namespace AnnotateDpo.Training.Models;

/// <summary>Reshapes between the projections' (B, T, N * D) layout and attention's per-head (B, N, T, D).</summary>
public static class AttentionHeads
{
    public static Tensor Split(Tensor flat, int heads, int headDim)
    {
        using var separated = flat.view(flat.shape[0], flat.shape[1], heads, headDim); // (B, T, N, D)
        return separated.transpose(1, 2); // (B, N, T, D)
    }

    public static Tensor Merge(Tensor perHead)
    {
        using var interleaved = perHead.transpose(1, 2); // (B, T, N, D)
        return interleaved.reshape(perHead.shape[0], perHead.shape[2], perHead.shape[1] * perHead.shape[3]); // (B, T, N * D)
    }
}
