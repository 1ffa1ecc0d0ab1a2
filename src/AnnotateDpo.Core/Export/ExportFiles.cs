using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AnnotateDpo.Core.Domain;

namespace AnnotateDpo.Core.Export;

/// <summary>
/// An output file that appears complete or not at all: it is written beside its destination under a temporary
/// name and moved into place on <see cref="CommitAsync"/>; disposed uncommitted (an error, a cancellation) it is deleted.
/// </summary>
internal sealed class AtomicFile : IAsyncDisposable
{
    private readonly string _path;
    private readonly string _temporary;
    private bool _committed;

    public AtomicFile(string path)
    {
        _path = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _temporary = _path + $".{Guid.NewGuid():N}.tmp";
        Stream = new FileStream(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
    }

    public FileStream Stream { get; }

    public async Task CommitAsync()
    {
        await Stream.FlushAsync();
        await Stream.DisposeAsync();
        File.Move(_temporary, _path, overwrite: true);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync();
        if (!_committed) File.Delete(_temporary);
    }
}

/// <summary>JSON Lines, UTF-8 without BOM; Japanese and emoji stay readable instead of becoming \u escapes.</summary>
internal sealed class JsonlWriter(Stream stream) : IAsyncDisposable
{
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly Utf8JsonWriter _json = new(stream, Options);

    public int Lines { get; private set; }

    public async Task WriteLineAsync(Action<Utf8JsonWriter> writeObject, CancellationToken ct)
    {
        _json.Reset();
        writeObject(_json);
        await _json.FlushAsync(ct);
        await stream.WriteAsync(NewLine, ct);
        Lines++;
    }

    public ValueTask DisposeAsync() => _json.DisposeAsync();

    public static void WriteMessages(Utf8JsonWriter json, string name, IEnumerable<ChatMessage> messages)
    {
        json.WriteStartArray(name);
        foreach (var message in messages)
        {
            json.WriteStartObject();
            json.WriteString("role", message.Role);
            json.WriteString("content", message.Content);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>ISO 8601 in UTC with only the fractional digits the value has: 2026-10-01T09:00:00Z.</summary>
    public static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

internal static class Utf8
{
    public static readonly Encoding NoBom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
}
