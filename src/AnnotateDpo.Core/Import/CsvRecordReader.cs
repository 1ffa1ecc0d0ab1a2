using System.Text;
using AnnotateDpo.Core.Domain;
using CsvHelper;

namespace AnnotateDpo.Core.Import;

/// <summary>
/// CSV with a header: SFT <c>id,system,prompt,response,category,tags</c> or pairs <c>id,prompt,chosen,rejected,category,tags</c>
/// (<c>id</c>, <c>system</c>, <c>category</c> and <c>tags</c> optional; tags separated by <c>;</c>), recognised by the header.
/// Line numbers are the line each record starts on, so multi-line quoted fields do not shift them.
/// </summary>
internal static class CsvRecordReader
{
    public const char TagSeparator = ';';

    private static readonly string[] SftColumns = ["id", "system", "prompt", "response", "category", "tags"];
    private static readonly string[] PairColumns = ["id", "prompt", "chosen", "rejected", "category", "tags"];
    private static readonly string[] SftRequired = ["prompt", "response"];
    private static readonly string[] PairRequired = ["prompt", "chosen", "rejected"];

    public static async Task ReadAsync(string path, ImportFile file, ImportKind? requestedKind, CancellationToken ct)
    {
        // A TextReader, so that invalid UTF-8 stops the import instead of turning into U+FFFD; a BOM is dropped.
        using var text = new StreamReader(path, JsonlFile.StrictUtf8, detectEncodingFromByteOrderMarks: true);
        var options = CsvReaderOptions.Default with
        {
            // Never detected: a Japanese text full of semicolons must not make ';' the separator.
            Separator = ',',
            TrackLineNumbers = true,
            OnMalformedRecord = bad => file.Error((int)bad.LineNumber, "csv", $"malformed CSV ({bad.Reason})"),
        };
        await using var csv = CsvReader.Create(text, options);
        try
        {
            await csv.ReadHeaderAsync(ct);
            var columns = csv.Headers.Select(h => h.Trim().ToLowerInvariant()).ToArray();
            if (KindOf(columns, file, requestedKind) is not { } kind) return;
            var index = columns.Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i);
            while (await csv.ReadAsync(ct))
            {
                var line = (int)csv.LineNumber;
                if (csv.FieldCount != columns.Length)
                {
                    file.Error(line, "csv", $"the record has {csv.FieldCount} fields; the header has {columns.Length}");
                    continue;
                }
                file.Records.Add(Read(csv, index, kind, file.FileName, line));
            }
        }
        catch (DecoderFallbackException)
        {
            file.Error(csv.LineNumber is > 0 and var n ? (int)n : 1, "encoding", "not valid UTF-8");
        }
    }

    private static ImportKind? KindOf(string[] columns, ImportFile file, ImportKind? requestedKind)
    {
        if (columns.Length == 0 || columns is [""])
        {
            file.Error(1, "header", "the file is empty; expected a header row");
            return null;
        }
        var looksSft = columns.Contains("response");
        var looksPair = columns.Contains("chosen") || columns.Contains("rejected");
        var kind = requestedKind ?? (looksSft, looksPair) switch
        {
            (true, false) => ImportKind.Sft,
            (false, true) => ImportKind.Pairs,
            (true, true) => Unknown(file, "the header has both response (SFT) and chosen/rejected (pairs) columns; say which kind to import"),
            _ => Unknown(file, "expected the SFT columns prompt,response or the pair columns prompt,chosen,rejected"),
        };
        if (kind is not { } known) return null;

        var (allowed, required) = known == ImportKind.Sft ? (SftColumns, SftRequired) : (PairColumns, PairRequired);
        foreach (var missing in required.Where(r => !columns.Contains(r)))
            file.Error(1, missing, "missing required column");
        foreach (var unknown in columns.Where(c => !allowed.Contains(c)))
            file.Error(1, unknown.Length > 0 ? unknown : "header", $"unknown column; expected {string.Join(", ", allowed)}");
        foreach (var repeated in columns.GroupBy(c => c).Where(g => g.Count() > 1))
            file.Error(1, repeated.Key, "the column appears more than once");
        return file.Errors.Count == 0 ? known : null;
    }

    private static ImportKind? Unknown(ImportFile file, string message)
    {
        file.Error(1, "header", message);
        return null;
    }

    private static ImportRecord Read(CsvReader csv, Dictionary<string, int> index, ImportKind kind, string fileName, int line)
    {
        string? Cell(string column) => index.TryGetValue(column, out var i) ? csv.GetString(i) : null;
        string? Optional(string column) => Cell(column) is { Length: > 0 } value ? value : null;

        var prompt = MessageRecord.FromText("prompt", ChatRoles.User, Cell("prompt")!);
        var record = new ImportRecord
        {
            File = fileName,
            Line = line,
            Kind = kind,
            FullFidelity = false,
            Id = Optional("id"),
            Category = Optional("category"),
            Tags = Cell("tags")?.Split(TagSeparator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [],
            Messages = [prompt],
            MessagesField = "prompt",
        };
        if (kind == ImportKind.Pairs)
            return record with { ResponseA = new("chosen", "chosen", Cell("chosen")!), ResponseB = new("rejected", "rejected", Cell("rejected")!) };

        var system = Optional("system") is { } s ? new[] { MessageRecord.FromText("system", ChatRoles.System, s) } : [];
        var response = MessageRecord.FromText("response", ChatRoles.Assistant, Cell("response")!);
        return record with { Messages = [.. system, prompt, response], MessagesField = "response" };
    }
}
