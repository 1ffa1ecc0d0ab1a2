using System.Text.Json;

namespace AnnotateDpo.Core.Import;

public enum ImportFormat
{
    /// <summary>Our own JSONL with every field (docs/formats.md).</summary>
    FullJsonl,
    /// <summary>Hugging Face TRL dataset rows, one JSON object per line.</summary>
    TrlJsonl,
    Csv,
}

/// <summary>Tells the format of an import file from its name and, where the name leaves it open, its first line.</summary>
public static class FormatDetector
{
    public const string FullFormatSuffix = ".annotatedpo.jsonl";

    public static ImportFormat Detect(string path)
    {
        if (path.EndsWith(FullFormatSuffix, StringComparison.OrdinalIgnoreCase)) return ImportFormat.FullJsonl;
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) return ImportFormat.Csv;

        var firstLine = FirstNonBlankLine(path);
        var isJsonLines = path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) ||
                          path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ||
                          firstLine?.TrimStart().StartsWith('{') == true;
        if (!isJsonLines) return ImportFormat.Csv;
        return firstLine is not null && IsWorkspaceLine(firstLine) ? ImportFormat.FullJsonl : ImportFormat.TrlJsonl;
    }

    private static string? FirstNonBlankLine(string path)
    {
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        while (reader.ReadLine() is { } line)
        {
            if (!string.IsNullOrWhiteSpace(line)) return line;
        }
        return null;
    }

    private static bool IsWorkspaceLine(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                   document.RootElement.TryGetProperty("type", out var type) &&
                   type.ValueKind == JsonValueKind.String && type.GetString() == "workspace";
        }
        catch (JsonException)
        {
            // Not JSON at all: the TRL reader reports the line with its position.
            return false;
        }
    }
}
