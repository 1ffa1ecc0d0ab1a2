using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using AnnotateDpo.Training.SafeTensors;
using TorchSharp;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Tests.SafeTensors;

public class SafeTensorsFileTests
{
    [Theory]
    [InlineData(ScalarType.Float32, "F32")]
    [InlineData(ScalarType.BFloat16, "BF16")]
    [InlineData(ScalarType.Float16, "F16")]
    public void WriteThenRead_FloatDtype_RoundTripsBitsAndUpcasts(ScalarType dtype, string expectedDType)
    {
        using var folder = new TempFolder();
        torch.manual_seed(1);
        using var original = torch.randn(3, 5).to(dtype);
        var path = folder.File("t.safetensors");

        SafeTensorsFile.Write(path, [new("w", original)]);
        var entry = Assert.Single(SafeTensorsFile.ReadEntries(path));
        using var asStored = SafeTensorsFile.ReadTensor(entry);
        using var upcast = SafeTensorsFile.ReadTensor(entry, ScalarType.Float32);

        Assert.Equal(expectedDType, entry.DType);
        Assert.Equal([3L, 5L], entry.Shape);
        Assert.Equal(dtype, asStored.dtype);
        Assert.True(asStored.eq(original).all().item<bool>());
        Assert.Equal(ScalarType.Float32, upcast.dtype);
        using var expected = original.to(ScalarType.Float32);
        Assert.True(upcast.eq(expected).all().item<bool>());
    }

    [Fact]
    public void WriteThenRead_Int64AndScalar_RoundTrips()
    {
        using var folder = new TempFolder();
        using var ids = torch.tensor(new long[] { 1, -2, long.MaxValue }, ScalarType.Int64);
        using var scalar = torch.tensor(2.5f);
        var path = folder.File("t.safetensors");

        SafeTensorsFile.Write(path, [new("ids", ids), new("scalar", scalar)]);
        var read = SafeTensorsFile.ReadAll(path);

        Assert.Equal(new long[] { 1, -2, long.MaxValue }, read["ids"].data<long>().ToArray());
        Assert.Empty(read["scalar"].shape);
        Assert.Equal(2.5f, read["scalar"].item<float>());
        foreach (var tensor in read.Values)
            tensor.Dispose();
    }

    [Fact]
    public void Write_Always_HasPtMetadataAndAlignedSortedHeader()
    {
        using var folder = new TempFolder();
        using var b = torch.zeros(2);
        using var a = torch.ones(3, ScalarType.Int64);
        var path = folder.File("t.safetensors");

        SafeTensorsFile.Write(path, [new("b", b), new("a", a)]);
        var bytes = File.ReadAllBytes(path);
        var headerLength = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLength))!.AsObject();

        Assert.Equal(0, headerLength % 8);
        Assert.Equal("pt", header["__metadata__"]!["format"]!.GetValue<string>());
        Assert.Equal("[0,24]", header["a"]!["data_offsets"]!.ToJsonString());
        Assert.Equal("[24,32]", header["b"]!["data_offsets"]!.ToJsonString());
        Assert.Equal(8 + headerLength + 32, bytes.Length);
    }

    [Fact]
    public void ReadFolderEntries_ShardedIndex_ReadsEveryShard()
    {
        using var folder = new TempFolder();
        using var first = torch.arange(4, ScalarType.Float32);
        using var second = torch.arange(6, ScalarType.Float32).reshape(2, 3);
        SafeTensorsFile.Write(folder.File("model-00001-of-00002.safetensors"), [new("a.weight", first)]);
        SafeTensorsFile.Write(folder.File("model-00002-of-00002.safetensors"), [new("b.weight", second)]);
        File.WriteAllText(folder.File(SafeTensorsFile.IndexFileName), """
            {"metadata": {"total_size": 40},
             "weight_map": {"a.weight": "model-00001-of-00002.safetensors", "b.weight": "model-00002-of-00002.safetensors"}}
            """);

        var read = SafeTensorsFile.ReadAll(folder.Path);

        Assert.Equal(["a.weight", "b.weight"], read.Keys.Order());
        Assert.True(read["b.weight"].eq(second).all().item<bool>());
        foreach (var tensor in read.Values)
            tensor.Dispose();
    }

    [Fact]
    public void ReadEntries_OffsetsDisagreeWithShape_ThrowsNamingTensor()
    {
        using var folder = new TempFolder();
        var path = folder.File("bad.safetensors");
        var header = Encoding.UTF8.GetBytes("""{"x.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}""");
        var length = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, header.Length);
        File.WriteAllBytes(path, [.. length, .. header, .. new byte[16]]);

        var error = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.ReadEntries(path));

        Assert.Contains("x.weight", error.Message);
    }

    [Fact]
    public void ReadEntries_UnknownDType_ThrowsNamingTensorAndDType()
    {
        using var folder = new TempFolder();
        var path = folder.File("bad.safetensors");
        var header = Encoding.UTF8.GetBytes("""{"q":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}""");
        var length = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, header.Length);
        File.WriteAllBytes(path, [.. length, .. header, 0]);

        var error = Assert.Throws<NotSupportedException>(() => SafeTensorsFile.ReadEntries(path));

        Assert.Contains("'q'", error.Message);
        Assert.Contains("F8_E4M3", error.Message);
    }
}
