using System.Globalization;
using AnnotateDpo.Core.Browse;
using AnnotateDpo.Core.Domain;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace AnnotateDpo.Web.Features.Browse;

/// <summary>
/// A <see cref="BrowseFilter"/> as query parameters (<c>category</c>, <c>tag</c>, <c>author</c>, <c>status</c>,
/// <c>agreement</c>, <c>from</c>, <c>to</c> as yyyy-MM-dd, <c>q</c>, <c>sort</c>, <c>desc</c>), so the export link
/// carries exactly the page's view and the endpoint runs the same query.
/// </summary>
public static class BrowseQueryString
{
    private const string DateFormat = "yyyy-MM-dd";

    public static string ExportPath(string workspace, BrowseKind kind, BrowseExportFormat format, BrowseFilter filter)
    {
        var parameters = new Dictionary<string, string?>
        {
            ["kind"] = kind == BrowseKind.Sft ? "sft" : "pairs",
            ["format"] = format == BrowseExportFormat.Csv ? "csv" : "jsonl",
            ["category"] = filter.Category,
            ["tag"] = filter.Tag,
            ["author"] = filter.Author,
            ["status"] = filter.Status?.ToString(),
            ["agreement"] = filter.Agreement?.ToString(),
            ["from"] = filter.From?.ToString(DateFormat, CultureInfo.InvariantCulture),
            ["to"] = filter.To?.ToString(DateFormat, CultureInfo.InvariantCulture),
            ["q"] = filter.Search,
            ["sort"] = filter.Sort.ToString(),
            ["desc"] = filter.Descending ? "true" : "false",
        };
        return QueryHelpers.AddQueryString($"browse/{Uri.EscapeDataString(workspace)}/export",
            parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => KeyValuePair.Create(p.Key, p.Value)));
    }

    /// <exception cref="ArgumentException">A parameter holds a value it cannot take; the message names it and the valid values.</exception>
    public static (BrowseKind Kind, BrowseExportFormat Format, BrowseFilter Filter) Parse(IReadOnlyDictionary<string, StringValues> query)
    {
        string? Text(string name) => query.TryGetValue(name, out var value) && !StringValues.IsNullOrEmpty(value) ? value.ToString() : null;
        var kind = Text("kind") switch
        {
            "sft" => BrowseKind.Sft,
            "pairs" => BrowseKind.Pairs,
            var other => throw new ArgumentException($"kind: '{other}' is not one of sft, pairs."),
        };
        var format = Text("format") switch
        {
            "csv" => BrowseExportFormat.Csv,
            "jsonl" => BrowseExportFormat.Jsonl,
            var other => throw new ArgumentException($"format: '{other}' is not one of csv, jsonl."),
        };
        var filter = new BrowseFilter
        {
            Category = Text("category"),
            Tag = Text("tag"),
            Author = Text("author"),
            Status = Enum<SftStatus>("status", Text("status")),
            Agreement = Enum<PairAgreement>("agreement", Text("agreement")),
            From = Date("from", Text("from")),
            To = Date("to", Text("to")),
            Search = Text("q"),
            Sort = Enum<BrowseSort>("sort", Text("sort")) ?? BrowseSort.Created,
            Descending = Text("desc") switch
            {
                null or "true" => true,
                "false" => false,
                var other => throw new ArgumentException($"desc: '{other}' is not one of true, false."),
            },
        };
        return (kind, format, filter);
    }

    private static T? Enum<T>(string name, string? value) where T : struct, Enum =>
        value is null ? null
        : System.Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed) ? parsed
        : throw new ArgumentException($"{name}: '{value}' is not one of {string.Join(", ", System.Enum.GetNames<T>())}.");

    private static DateOnly? Date(string name, string? value) =>
        value is null ? null
        : DateOnly.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : throw new ArgumentException($"{name}: '{value}' is not a date in the form {DateFormat}.");
}
