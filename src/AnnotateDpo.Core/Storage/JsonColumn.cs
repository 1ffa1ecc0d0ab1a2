using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AnnotateDpo.Core.Storage;

/// <summary>Conversations and tag lists live in one text column as JSON: they are read and written whole.</summary>
internal static class JsonColumn
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"Stored JSON is null: {json}");
}

internal sealed class JsonColumnConverter<T>() : ValueConverter<T, string>(
    value => JsonColumn.Serialize(value),
    json => JsonColumn.Deserialize<T>(json));

/// <summary>
/// Compares and snapshots a list element by element. The elements (strings, <c>ChatMessage</c> records) are immutable,
/// so a shallow copy is a faithful snapshot — far cheaper than a JSON round trip on every tracked row.
/// </summary>
internal sealed class ImmutableElementListComparer<T>() : ValueComparer<List<T>>(
    (left, right) => left == null ? right == null : right != null && left.SequenceEqual(right),
    list => list.Aggregate(0, (hash, item) => HashCode.Combine(hash, item)),
    list => new List<T>(list));

/// <summary>All times are UTC; SQLite hands them back unspecified, PostgreSQL's timestamptz insists on UTC.</summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    value => value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc),
    value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
