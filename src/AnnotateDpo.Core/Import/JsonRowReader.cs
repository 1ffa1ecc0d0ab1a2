using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace AnnotateDpo.Core.Import;

/// <summary>Typed reads from one JSON line that report missing fields and wrong types against the row.</summary>
internal sealed class JsonRowReader(ImportFile file, int line)
{
    public int Line { get; } = line;
    public bool HasErrors { get; private set; }

    public void Error(string field, string message)
    {
        HasErrors = true;
        file.Error(Line, field, message);
    }

    /// <summary>Present and not null.</summary>
    public static bool Has(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public string? String(JsonElement obj, string name, string field, bool required = false)
    {
        if (!Present(obj, name, field, required, out var value)) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        WrongType(field, "a string", value);
        return null;
    }

    public bool? Bool(JsonElement obj, string name, string field)
    {
        if (!Present(obj, name, field, required: false, out var value)) return null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        WrongType(field, "true or false", value);
        return null;
    }

    public double? Number(JsonElement obj, string name, string field)
    {
        if (!Present(obj, name, field, required: false, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number) return value.GetDouble();
        WrongType(field, "a number", value);
        return null;
    }

    public int? Int(JsonElement obj, string name, string field)
    {
        if (!Present(obj, name, field, required: false, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)) return number;
        WrongType(field, "a whole number", value);
        return null;
    }

    /// <summary>An array, or null (reported when required) when absent.</summary>
    public JsonElement? Array(JsonElement obj, string name, string field, bool required = false)
    {
        if (!Present(obj, name, field, required, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Array) return value;
        WrongType(field, "a list", value);
        return null;
    }

    /// <summary>An object, or null (reported when required) when absent.</summary>
    public JsonElement? Object(JsonElement obj, string name, string field, bool required = false)
    {
        if (!Present(obj, name, field, required, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Object) return value;
        WrongType(field, "an object", value);
        return null;
    }

    public List<string> Tags(JsonElement obj, string name = "tags")
    {
        var tags = new List<string>();
        if (Array(obj, name, name) is not { } array) return tags;
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String) tags.Add(item.GetString()!);
            else WrongType($"{name}[{index}]", "a string", item);
            index++;
        }
        return tags;
    }

    /// <summary>A list of <c>{"role","content"}</c> objects.</summary>
    public List<MessageRecord> Messages(JsonElement array, string field)
    {
        var messages = new List<MessageRecord>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemField = $"{field}[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                WrongType(itemField, "a message object", item);
                continue;
            }
            var role = String(item, "role", itemField + ".role", required: true);
            var content = String(item, "content", itemField + ".content", required: true);
            if (role is not null && content is not null) messages.Add(MessageRecord.FromList(itemField, role, content));
        }
        return messages;
    }

    private bool Present(JsonElement obj, string name, string field, bool required, out JsonElement value)
    {
        if (obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null) return true;
        if (required) Error(field, "missing required field");
        return false;
    }

    private void WrongType(string field, string expected, JsonElement found) =>
        Error(field, $"wrong type: expected {expected}, found {Describe(found.ValueKind)}");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        JsonValueKind.Number => "a number",
        JsonValueKind.String => "a string",
        _ => "null",
    };
}

/// <summary>The lines of a JSONL file as JSON objects; blank lines are skipped, bad lines reported.</summary>
internal static class JsonlFile
{
    /// <summary>Rejects invalid UTF-8 instead of silently replacing it; a BOM is accepted and dropped.</summary>
    public static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Each element is only valid until the enumeration moves on.</summary>
    public static async IAsyncEnumerable<(int Line, JsonElement Root)> ReadObjectsAsync(
        string path, ImportFile file, [EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(path, StrictUtf8, detectEncodingFromByteOrderMarks: true);
        var line = 0;
        while (true)
        {
            string? text;
            line++;
            try
            {
                text = await reader.ReadLineAsync(ct);
            }
            catch (DecoderFallbackException)
            {
                file.Error(line, "encoding", "not valid UTF-8");
                yield break;
            }
            if (text is null) yield break;
            if (string.IsNullOrWhiteSpace(text)) continue;

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(text);
            }
            catch (JsonException e)
            {
                file.Error(line, "json", $"invalid JSON: {e.Message}");
                continue;
            }
            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    file.Error(line, "json", "expected one JSON object per line");
                    continue;
                }
                yield return (line, document.RootElement);
            }
        }
    }
}
