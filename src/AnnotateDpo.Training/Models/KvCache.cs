using static TorchSharp.torch;

namespace AnnotateDpo.Training.Models;

/// <summary>
/// Keys and values of earlier positions, one pair per layer, for incremental decoding. The cache owns its tensors
/// (they are detached from dispose scopes) and frees them on dispose.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly (Tensor Keys, Tensor Values)?[] layers;

    public KvCache(int layerCount) => layers = new (Tensor, Tensor)?[layerCount];

    /// <summary>How many positions the cache holds (read by the model before its layers append).</summary>
    public long Length => layers[0]?.Keys.shape[2] ?? 0;

    /// <summary>Appends this step's keys and values (B, KV, T, D) and returns all of them (B, KV, past + T, D).</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        var past = layers[layer];
        var all = past is { } p
            ? (cat([p.Keys, keys], dim: 2), cat([p.Values, values], dim: 2))
            : (keys.alias(), values.alias());
        all.Item1.DetachFromDisposeScope();
        all.Item2.DetachFromDisposeScope();
        past?.Keys.Dispose();
        past?.Values.Dispose();
        layers[layer] = all;
        return all;
    }

    public void Dispose()
    {
        foreach (var layer in layers)
        {
            layer?.Keys.Dispose();
            layer?.Values.Dispose();
        }
        Array.Clear(layers);
    }
}
