using System.Text.Json;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Import;

namespace AnnotateDpo.Core.Export;

/// <summary>The lines of the full-fidelity JSONL, field for field as docs/formats.md shows them.</summary>
internal static class FullFormatWriter
{
    public static void Workspace(Utf8JsonWriter json, Workspace workspace)
    {
        json.WriteStartObject();
        json.WriteString("type", "workspace");
        json.WriteString("name", workspace.Name);
        json.WriteString("language", workspace.Language);
        json.WriteNumber("overlapTarget", workspace.OverlapTarget);
        json.WriteString("guidelines", workspace.Guidelines);
        json.WriteStartArray("categories");
        foreach (var category in workspace.Categories.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("name", category.Name);
            json.WriteString("description", category.Description);
            json.WriteNumber("sftTarget", category.SftTarget);
            json.WriteNumber("pairTarget", category.PairTarget);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static void Sft(Utf8JsonWriter json, SftExample example, string? category)
    {
        json.WriteStartObject();
        json.WriteString("type", "sft");
        json.WriteString("id", example.Key);
        json.WriteString("category", category);
        WriteTags(json, example.Tags);
        json.WriteString("status", FormatVocabulary.Status.Name(example.Status));
        json.WriteString("authorId", example.AuthorId);
        json.WriteString("reviewComment", example.ReviewComment);
        JsonlWriter.WriteMessages(json, "messages", example.Messages);
        json.WriteString("createdAt", JsonlWriter.Time(example.CreatedAt));
        json.WriteString("updatedAt", JsonlWriter.Time(example.UpdatedAt));
        json.WriteEndObject();
    }

    public static void Pair(Utf8JsonWriter json, PreferencePair pair, string? category)
    {
        json.WriteStartObject();
        json.WriteString("type", "pair");
        json.WriteString("id", pair.Key);
        json.WriteString("category", category);
        WriteTags(json, pair.Tags);
        JsonlWriter.WriteMessages(json, "prompt", pair.Prompt);
        WriteResponse(json, "responseA", pair.ResponseA);
        WriteResponse(json, "responseB", pair.ResponseB);
        json.WriteString("authorId", pair.AuthorId);
        json.WriteString("createdAt", JsonlWriter.Time(pair.CreatedAt));
        json.WriteStartArray("judgments");
        foreach (var judgment in pair.Judgments.OrderBy(j => j.CreatedAt).ThenBy(j => j.Id))
        {
            json.WriteStartObject();
            json.WriteString("id", judgment.Key);
            json.WriteString("annotatorId", judgment.AnnotatorId);
            json.WriteString("verdict", FormatVocabulary.Verdict.Name(judgment.Verdict));
            json.WriteString("strength", judgment.Strength is { } strength ? FormatVocabulary.Strength.Name(strength) : null);
            json.WriteString("rationale", judgment.Rationale);
            json.WriteString("shownOrder", FormatVocabulary.ShownOrder.Name(judgment.ShownOrder));
            json.WriteNumber("secondsSpent", judgment.SecondsSpent);
            json.WriteString("createdAt", JsonlWriter.Time(judgment.CreatedAt));
            json.WriteBoolean("isFinal", judgment.IsFinal);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteResponse(Utf8JsonWriter json, string name, PairResponse response)
    {
        json.WriteStartObject(name);
        json.WriteString("text", response.Text);
        json.WriteString("origin", FormatVocabulary.Origin.Name(response.Origin));
        json.WriteString("model", response.Model);
        json.WriteString("run", response.Run);
        json.WriteString("editedFromPairId", response.EditedFromPairKey);
        json.WriteEndObject();
    }

    private static void WriteTags(Utf8JsonWriter json, List<string> tags)
    {
        json.WriteStartArray("tags");
        foreach (var tag in tags) json.WriteStringValue(tag);
        json.WriteEndArray();
    }
}
