using System.IO.Compression;

namespace AnnotateDpo.Web.Features.Training;

/// <summary>A model folder as a zip written to a stream as it goes: no temporary file, however large the model.</summary>
internal static class ModelZip
{
    /// <summary>
    /// Writes to <paramref name="destination"/> only asynchronously, as Kestrel's response body requires. Entries are
    /// stored, not deflated: weights hardly compress, and the CPU is the trainer's.
    /// </summary>
    public static async Task WriteAsync(string folder, Stream destination, CancellationToken cancellationToken)
    {
        var body = new SyncWritesDeferred(destination);
        await using (var zip = await ZipArchive.CreateAsync(body, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                await zip.CreateEntryFromFileAsync(file, Path.GetRelativePath(folder, file).Replace('\\', '/'), CompressionLevel.NoCompression, cancellationToken);
        }
        await body.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// .NET 10's ZipArchive still writes an entry's data descriptor synchronously when the entry closes. Those few
    /// bytes are held here and sent, in order, with the next asynchronous write or flush.
    /// </summary>
    private sealed class SyncWritesDeferred(Stream inner) : Stream
    {
        private readonly MemoryStream pending = new();
        private long position;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => position;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            pending.Write(buffer, offset, count);
            position += count;
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await SendPendingAsync(cancellationToken);
            await inner.WriteAsync(buffer, cancellationToken);
            position += buffer.Length;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async Task FlushAsync(CancellationToken cancellationToken)
        {
            await SendPendingAsync(cancellationToken);
            await inner.FlushAsync(cancellationToken);
        }

        // Flush is called synchronously on entry close; the pending bytes go out with the next asynchronous call.
        public override void Flush()
        {
        }

        private async Task SendPendingAsync(CancellationToken cancellationToken)
        {
            if (pending.Length == 0)
                return;
            await inner.WriteAsync(pending.GetBuffer().AsMemory(0, (int)pending.Length), cancellationToken);
            pending.SetLength(0);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
