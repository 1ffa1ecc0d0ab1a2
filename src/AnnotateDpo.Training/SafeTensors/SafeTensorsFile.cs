using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AnnotateDpo.Training.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.SafeTensors;

/// <summary>One tensor of a safetensors file: where its bytes lie and how to read them.</summary>
public sealed record SafeTensorEntry(string Name, string DType, long[] Shape, string File, long DataOffset, long ByteLength)
{
    public ScalarType ScalarType => SafeTensorsFile.ToScalarType(DType, Name);
}

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header mapping each
/// name to {dtype, shape, data_offsets}, then the raw little-endian bytes. Sharded checkpoints are a folder with
/// model.safetensors.index.json whose weight_map names the file of each tensor.
/// </summary>
public static class SafeTensorsFile
{
    public const string SingleFileName = "model.safetensors";
    public const string IndexFileName = "model.safetensors.index.json";

    private static readonly Dictionary<string, ScalarType> DTypes = new()
    {
        ["F64"] = ScalarType.Float64,
        ["F32"] = ScalarType.Float32,
        ["F16"] = ScalarType.Float16,
        ["BF16"] = ScalarType.BFloat16,
        ["I64"] = ScalarType.Int64,
        ["I32"] = ScalarType.Int32,
        ["I16"] = ScalarType.Int16,
        ["I8"] = ScalarType.Int8,
        ["U8"] = ScalarType.Byte,
        ["BOOL"] = ScalarType.Bool,
    };

    public static ScalarType ToScalarType(string dtype, string tensorName) =>
        DTypes.TryGetValue(dtype, out var type)
            ? type
            : throw new NotSupportedException(
                $"Tensor '{tensorName}' has safetensors dtype '{dtype}'; supported: {string.Join(", ", DTypes.Keys)}.");

    public static string ToDType(ScalarType type, string tensorName) =>
        DTypes.FirstOrDefault(pair => pair.Value == type).Key
            ?? throw new NotSupportedException($"Tensor '{tensorName}' has dtype {type}, which safetensors files here cannot hold.");

    /// <summary>The tensors of a model folder: model.safetensors, or every shard listed in the index.</summary>
    public static IReadOnlyList<SafeTensorEntry> ReadFolderEntries(string folder)
    {
        var single = Path.Combine(folder, SingleFileName);
        if (File.Exists(single))
            return ReadEntries(single);

        var index = Path.Combine(folder, IndexFileName);
        if (!File.Exists(index))
            throw new FileNotFoundException($"Neither {SingleFileName} nor {IndexFileName} is in '{folder}'.", single);

        var weightMap = JsonNode.Parse(File.ReadAllText(index))?["weight_map"]?.AsObject()
            ?? throw new InvalidDataException($"'{index}' has no weight_map.");
        var shards = weightMap.Select(pair => pair.Value!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal);
        var entries = shards.SelectMany(shard => ReadEntries(Path.Combine(folder, shard))).ToList();
        var missing = weightMap.Select(pair => pair.Key).Except(entries.Select(e => e.Name)).FirstOrDefault();
        return missing is null
            ? entries
            : throw new InvalidDataException($"'{index}' maps '{missing}' to {weightMap[missing]}, which does not hold it.");
    }

    /// <summary>The header of one safetensors file.</summary>
    public static IReadOnlyList<SafeTensorEntry> ReadEntries(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        var headerLength = BinaryPrimitives.ReadInt64LittleEndian(lengthBytes);
        if (headerLength <= 0 || 8 + headerLength > stream.Length)
            throw new InvalidDataException($"'{path}' is not a safetensors file (header length {headerLength}).");

        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        var dataStart = 8 + headerLength;
        var entries = new List<SafeTensorEntry>();
        foreach (var (name, node) in JsonNode.Parse(headerBytes)!.AsObject())
        {
            if (name == "__metadata__")
                continue;
            var dtype = node!["dtype"]!.GetValue<string>();
            var shape = node["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            var offsets = node["data_offsets"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            var expected = shape.Aggregate(1L, (a, b) => a * b) * ToScalarType(dtype, name).ElementSize();
            if (offsets.Length != 2 || offsets[1] - offsets[0] != expected || dataStart + offsets[1] > stream.Length)
                throw new InvalidDataException(
                    $"'{path}': tensor '{name}' ({dtype}, [{string.Join(", ", shape)}]) has data_offsets " +
                    $"[{string.Join(", ", offsets)}], which do not fit its {expected} bytes in the file.");
            entries.Add(new SafeTensorEntry(name, dtype, shape, path, dataStart + offsets[0], expected));
        }
        return entries;
    }

    /// <summary>Reads one tensor, converted to <paramref name="dtype"/> (default: as stored) on <paramref name="device"/>.</summary>
    public static Tensor ReadTensor(SafeTensorEntry entry, ScalarType? dtype = null, Device? device = null)
    {
        TorchRuntime.EnsureInitialized();
        using var stored = torch.empty(entry.Shape, entry.ScalarType);
        if (entry.ByteLength > 0)
        {
            using var stream = File.OpenRead(entry.File);
            stream.Seek(entry.DataOffset, SeekOrigin.Begin);
            stream.ReadExactly(stored.bytes);
        }
        return stored.to(dtype ?? entry.ScalarType, device ?? CPU, copy: true);
    }

    /// <summary>Reads every tensor of one file or model folder; the caller owns (disposes) the tensors.</summary>
    public static Dictionary<string, Tensor> ReadAll(string fileOrFolder, ScalarType? dtype = null, Device? device = null)
    {
        var entries = Directory.Exists(fileOrFolder) ? ReadFolderEntries(fileOrFolder) : ReadEntries(fileOrFolder);
        return entries.ToDictionary(e => e.Name, e => ReadTensor(e, dtype, device));
    }

    /// <summary>
    /// Writes the tensors with <c>__metadata__ {"format": "pt"}</c> (plus <paramref name="metadata"/>); the file
    /// appears complete or not at all.
    /// </summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        TorchRuntime.EnsureInitialized();
        var ordered = tensors.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToList();
        var header = new JsonObject { ["__metadata__"] = MetadataNode(metadata) };
        long offset = 0;
        foreach (var (name, tensor) in ordered)
        {
            var length = tensor.numel() * tensor.dtype.ElementSize();
            header[name] = new JsonObject
            {
                ["dtype"] = ToDType(tensor.dtype, name),
                ["shape"] = new JsonArray(tensor.shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + length),
            };
            offset += length;
        }

        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
        // The data starts 8-byte aligned, padded with spaces as the reference implementation does.
        var padded = (headerBytes.Length + 7) / 8 * 8;
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        using (var stream = File.Create(temporary))
        {
            Span<byte> lengthBytes = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(lengthBytes, padded);
            stream.Write(lengthBytes);
            stream.Write(headerBytes);
            stream.Write(Enumerable.Repeat((byte)' ', padded - headerBytes.Length).ToArray());
            foreach (var (_, tensor) in ordered)
            {
                using var detached = tensor.detach();
                using var cpu = detached.to(CPU);
                using var contiguous = cpu.contiguous();
                stream.Write(contiguous.bytes);
            }
        }
        File.Move(temporary, path, overwrite: true);
    }

    private static JsonObject MetadataNode(IReadOnlyDictionary<string, string>? metadata)
    {
        var node = new JsonObject { ["format"] = "pt" };
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
            node[key] = value;
        return node;
    }
}
