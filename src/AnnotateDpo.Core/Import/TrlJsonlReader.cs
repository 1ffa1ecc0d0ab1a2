using System.Text.Json;
using AnnotateDpo.Core.Domain;

namespace AnnotateDpo.Core.Import;

/// <summary>
/// Hugging Face TRL dataset rows (https://huggingface.co/docs/trl/dataset_formats): SFT as <c>{"messages"}</c> or
/// <c>{"prompt","completion"}</c>, preference as <c>{"prompt","chosen","rejected"}</c> with plain strings or message
/// lists, or the implicit-prompt form <c>{"chosen","rejected"}</c> whose shared leading messages are the prompt.
/// Optional <c>id</c>, <c>category</c>, <c>tags</c> and <c>authorId</c>.
/// </summary>
internal static class TrlJsonlReader
{
    public static async Task ReadAsync(string path, ImportFile file, ImportKind? requestedKind, CancellationToken ct)
    {
        await foreach (var (line, root) in JsonlFile.ReadObjectsAsync(path, file, ct))
        {
            var row = new JsonRowReader(file, line);
            var record = Read(root, row, requestedKind, file.FileName);
            if (record is not null && !row.HasErrors) file.Records.Add(record);
        }
    }

    private static ImportRecord? Read(JsonElement root, JsonRowReader row, ImportKind? requestedKind, string fileName)
    {
        if (root.TryGetProperty("label", out _))
        {
            row.Error("label", "unpaired preference (KTO) rows are not supported; give prompt, chosen and rejected");
            return null;
        }
        if (ShapeOf(root, row, requestedKind) is not { } kind) return null;

        var common = new ImportRecord
        {
            File = fileName,
            Line = row.Line,
            Kind = kind,
            FullFidelity = false,
            Id = row.String(root, "id", "id"),
            Category = row.String(root, "category", "category"),
            Tags = row.Tags(root),
            AuthorId = row.String(root, "authorId", "authorId"),
            // Filled in by the shape-specific readers below.
            Messages = [],
            MessagesField = "",
        };
        return kind == ImportKind.Sft ? ReadSft(root, row, common) : ReadPair(root, row, common);
    }

    private static ImportKind? ShapeOf(JsonElement root, JsonRowReader row, ImportKind? requestedKind)
    {
        var looksSft = JsonRowReader.Has(root, "messages") || JsonRowReader.Has(root, "completion");
        var looksPair = JsonRowReader.Has(root, "chosen") || JsonRowReader.Has(root, "rejected");
        ImportKind? shape = (looksSft, looksPair) switch
        {
            (true, false) => ImportKind.Sft,
            (false, true) => ImportKind.Pairs,
            _ => null,
        };
        if (requestedKind is { } requested)
        {
            if (shape is { } actual && actual != requested)
            {
                row.Error("row", $"is a {Describe(actual)} row, but the import was asked for {Describe(requested)}");
                return null;
            }
            return requested;
        }
        if (shape is null)
        {
            row.Error("row", looksSft
                ? "has both SFT fields (messages/completion) and pair fields (chosen/rejected); say which kind to import"
                : "expected messages, prompt + completion, or prompt + chosen + rejected");
        }
        return shape;
    }

    private static string Describe(ImportKind kind) => kind == ImportKind.Sft ? "SFT" : "preference pair";

    private static ImportRecord ReadSft(JsonElement root, JsonRowReader row, ImportRecord common)
    {
        if (JsonRowReader.Has(root, "messages"))
        {
            var messages = row.Array(root, "messages", "messages") is { } array ? row.Messages(array, "messages") : [];
            return common with { Messages = messages, MessagesField = "messages" };
        }
        var prompt = Turns(root, row, "prompt", ChatRoles.User);
        var completion = Turns(root, row, "completion", ChatRoles.Assistant);
        return common with { Messages = [.. prompt, .. completion], MessagesField = "completion" };
    }

    private static ImportRecord? ReadPair(JsonElement root, JsonRowReader row, ImportRecord common)
    {
        if (!JsonRowReader.Has(root, "prompt"))
            return ReadImplicitPromptPair(root, row, common);

        var prompt = Turns(root, row, "prompt", ChatRoles.User);
        var chosen = Response(root, row, "chosen");
        var rejected = Response(root, row, "rejected");
        return common with { Messages = prompt, MessagesField = "prompt", ResponseA = chosen, ResponseB = rejected };
    }

    /// <summary><c>{"chosen":[…conversation…],"rejected":[…]}</c>: the messages both share are the prompt.</summary>
    private static ImportRecord? ReadImplicitPromptPair(JsonElement root, JsonRowReader row, ImportRecord common)
    {
        var chosen = row.Array(root, "chosen", "chosen", required: true) is { } c ? row.Messages(c, "chosen") : null;
        var rejected = row.Array(root, "rejected", "rejected", required: true) is { } r ? row.Messages(r, "rejected") : null;
        if (chosen is null || rejected is null) return null;

        var shared = 0;
        while (shared < chosen.Count && shared < rejected.Count &&
               chosen[shared].Role == rejected[shared].Role && chosen[shared].Content == rejected[shared].Content)
        {
            shared++;
        }
        var chosenResponse = SingleAssistant(row, "chosen", chosen.Skip(shared).ToList());
        var rejectedResponse = SingleAssistant(row, "rejected", rejected.Skip(shared).ToList());
        return common with
        {
            Messages = chosen.Take(shared).ToList(), MessagesField = "prompt",
            ResponseA = chosenResponse, ResponseB = rejectedResponse,
        };
    }

    /// <summary>A string (one message of <paramref name="role"/>) or a message list.</summary>
    private static List<MessageRecord> Turns(JsonElement root, JsonRowReader row, string name, string role)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            row.Error(name, "missing required field");
            return [];
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => [MessageRecord.FromText(name, role, value.GetString()!)],
            JsonValueKind.Array => row.Messages(value, name),
            _ => WrongType<List<MessageRecord>>(row, name, []),
        };
    }

    /// <summary>A string, or a list holding the one assistant message.</summary>
    private static ResponseRecord? Response(JsonElement root, JsonRowReader row, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            row.Error(name, "missing required field");
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => new ResponseRecord(name, name, value.GetString()!),
            JsonValueKind.Array => SingleAssistant(row, name, row.Messages(value, name)),
            _ => WrongType<ResponseRecord?>(row, name, null),
        };
    }

    private static ResponseRecord? SingleAssistant(JsonRowReader row, string name, List<MessageRecord> messages)
    {
        if (messages is [{ Role: ChatRoles.Assistant } only]) return new ResponseRecord(name, only.ContentField, only.Content);
        row.Error(name, "must end in exactly one assistant message after the prompt");
        return null;
    }

    private static T WrongType<T>(JsonRowReader row, string name, T nothing)
    {
        row.Error(name, "wrong type: expected a string or a list of messages");
        return nothing;
    }
}
