using System.Text.Json;

namespace AnnotateDpo.Core.Import;

/// <summary>Our full-fidelity JSONL (docs/formats.md): a workspace line, then <c>sft</c> and <c>pair</c> lines.</summary>
internal static class FullJsonlReader
{
    public static async Task ReadAsync(string path, ImportFile file, CancellationToken ct)
    {
        var first = true;
        await foreach (var (line, root) in JsonlFile.ReadObjectsAsync(path, file, ct))
        {
            var row = new JsonRowReader(file, line);
            var type = row.String(root, "type", "type", required: true);
            if (first && type != "workspace")
                row.Error("type", "the first line must be the workspace line (\"type\":\"workspace\")");
            switch (type)
            {
                case "workspace" when !first:
                    row.Error("type", "a second workspace line; a file holds exactly one, first");
                    break;
                case "workspace":
                    file.Header = ReadWorkspace(root, row);
                    break;
                case "sft":
                    Add(file, row, ReadSft(root, row, file.FileName));
                    break;
                case "pair":
                    Add(file, row, ReadPair(root, row, file.FileName));
                    break;
                case null:
                    break;
                default:
                    row.Error("type", $"unknown type '{type}'; expected workspace, sft or pair");
                    break;
            }
            first = false;
        }
    }

    private static void Add(ImportFile file, JsonRowReader row, ImportRecord record)
    {
        if (!row.HasErrors) file.Records.Add(record);
    }

    private static WorkspaceHeader ReadWorkspace(JsonElement root, JsonRowReader row)
    {
        var categories = new List<CategoryHeader>();
        if (row.Array(root, "categories", "categories") is { } array)
        {
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                var field = $"categories[{index++}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    row.Error(field, "wrong type: expected an object");
                    continue;
                }
                var name = row.String(item, "name", field + ".name", required: true);
                if (name is null) continue;
                categories.Add(new(
                    name,
                    row.String(item, "description", field + ".description") ?? "",
                    row.Int(item, "sftTarget", field + ".sftTarget") ?? 0,
                    row.Int(item, "pairTarget", field + ".pairTarget") ?? 0));
            }
        }
        return new(
            row.Line,
            row.String(root, "language", "language"),
            row.String(root, "guidelines", "guidelines"),
            row.Int(root, "overlapTarget", "overlapTarget"),
            categories);
    }

    private static ImportRecord ReadSft(JsonElement root, JsonRowReader row, string fileName)
    {
        var messages = row.Array(root, "messages", "messages", required: true);
        return Common(root, row, fileName) with
        {
            Kind = ImportKind.Sft,
            Messages = messages is { } array ? row.Messages(array, "messages") : [],
            MessagesField = "messages",
            Status = row.String(root, "status", "status", required: true),
            ReviewComment = row.String(root, "reviewComment", "reviewComment"),
            UpdatedAt = row.String(root, "updatedAt", "updatedAt"),
        };
    }

    private static ImportRecord ReadPair(JsonElement root, JsonRowReader row, string fileName)
    {
        var prompt = row.Array(root, "prompt", "prompt", required: true);
        var judgments = new List<JudgmentRecord>();
        if (row.Array(root, "judgments", "judgments") is { } array)
        {
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                if (ReadJudgment(item, row, $"judgments[{index++}]") is { } judgment) judgments.Add(judgment);
            }
        }
        return Common(root, row, fileName) with
        {
            Kind = ImportKind.Pairs,
            Messages = prompt is { } messages ? row.Messages(messages, "prompt") : [],
            MessagesField = "prompt",
            ResponseA = ReadResponse(root, row, "responseA"),
            ResponseB = ReadResponse(root, row, "responseB"),
            Judgments = judgments,
        };
    }

    private static ImportRecord Common(JsonElement root, JsonRowReader row, string fileName) => new()
    {
        File = fileName,
        Line = row.Line,
        Kind = ImportKind.Sft,
        FullFidelity = true,
        Id = row.String(root, "id", "id", required: true),
        Category = row.String(root, "category", "category"),
        Tags = row.Tags(root),
        AuthorId = row.String(root, "authorId", "authorId"),
        CreatedAt = row.String(root, "createdAt", "createdAt"),
        // Set by the kind-specific readers.
        Messages = [],
        MessagesField = "",
    };

    private static ResponseRecord? ReadResponse(JsonElement root, JsonRowReader row, string name)
    {
        if (row.Object(root, name, name, required: true) is not { } response) return null;
        var text = row.String(response, "text", name + ".text", required: true);
        return text is null
            ? null
            : new ResponseRecord(
                name, name + ".text", text,
                row.String(response, "origin", name + ".origin"),
                row.String(response, "model", name + ".model"),
                row.String(response, "run", name + ".run"),
                row.String(response, "editedFromPairId", name + ".editedFromPairId"));
    }

    private static JudgmentRecord? ReadJudgment(JsonElement item, JsonRowReader row, string field)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            row.Error(field, "wrong type: expected an object");
            return null;
        }
        var annotator = row.String(item, "annotatorId", field + ".annotatorId", required: true);
        var verdict = row.String(item, "verdict", field + ".verdict", required: true);
        var id = row.String(item, "id", field + ".id", required: true);
        var judgment = new JudgmentRecord(
            field,
            id ?? "",
            annotator ?? "",
            verdict ?? "",
            row.String(item, "strength", field + ".strength"),
            row.String(item, "rationale", field + ".rationale"),
            row.String(item, "shownOrder", field + ".shownOrder"),
            row.Number(item, "secondsSpent", field + ".secondsSpent"),
            row.String(item, "createdAt", field + ".createdAt"),
            row.Bool(item, "isFinal", field + ".isFinal") ?? false);
        return annotator is null || verdict is null || id is null ? null : judgment;
    }
}
