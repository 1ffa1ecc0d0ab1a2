using System.IO.Compression;
using AnnotateDpo.Web.Features.Training;

namespace AnnotateDpo.Web.Tests.Features.Training;

public sealed class ModelZipTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("annotatedpo-zip-").FullName;

    [Fact]
    public async Task WriteAsync_ModelFolder_ZipsEveryFileIntoAStreamThatOnlyTakesAsyncWrites()
    {
        var model = Directory.CreateDirectory(Path.Combine(_folder, "dpo")).FullName;
        File.WriteAllText(Path.Combine(model, "config.json"), """{"model_type":"llama"}""");
        Directory.CreateDirectory(Path.Combine(model, "adapter"));
        File.WriteAllBytes(Path.Combine(model, "adapter", "adapter_model.safetensors"), Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray());
        var response = new ResponseLikeStream();

        await ModelZip.WriteAsync(model, response, CancellationToken.None);

        using var zip = new ZipArchive(new MemoryStream(response.Written.ToArray()), ZipArchiveMode.Read);
        Assert.Equal(["adapter/adapter_model.safetensors", "config.json"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        using var reader = new StreamReader(zip.GetEntry("config.json")!.Open());
        Assert.Equal("""{"model_type":"llama"}""", await reader.ReadToEndAsync());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Like Kestrel's response body: forward-only, and synchronous writes are refused.</summary>
    private sealed class ResponseLikeStream : Stream
    {
        public MemoryStream Written { get; } = new();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Written.Length; set => throw new NotSupportedException(); }
        public override void Flush() => throw new InvalidOperationException("Synchronous operations are disallowed.");
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous operations are disallowed.");
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => Written.WriteAsync(buffer, cancellationToken);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Written.WriteAsync(buffer, offset, count, cancellationToken);
    }
}
