using System.Globalization;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Text;

namespace AnnotateDpo.Core.Import;

/// <summary>A row that passed validation, as the entity it becomes (key, workspace and category still to be set).</summary>
internal sealed record ValidatedRow(
    ImportRecord Source,
    string ContentHash,
    string? CategoryName,
    SftExample? Sft,
    PreferencePair? Pair,
    IReadOnlyList<(Judgment Later, Judgment Earlier)> Supersessions);

/// <summary>
/// The content rules every format shares: the shape of a conversation, non-empty texts, known enum values,
/// valid timestamps, and the curation an import implies (<see cref="ImportOptions.AsDraft"/>).
/// </summary>
internal sealed class RecordValidator(DateTime now, bool asDraft)
{
    /// <summary>The length of the key, name and id columns (Storage/Configurations).</summary>
    public const int MaxIdentifierLength = 200;

    /// <summary>The key of the one judgment a curated Hugging Face or CSV pair brings: chosen (A) over rejected (B).</summary>
    public const string ImportJudgmentKey = "import";

    private static readonly string[] Roles = [ChatRoles.System, ChatRoles.User, ChatRoles.Assistant];

    /// <param name="knownCategories">The categories a full-fidelity row may name; null where rows create categories.</param>
    public ValidatedRow? Validate(ImportRecord record, IReadOnlySet<string>? knownCategories, List<ImportError> errors)
    {
        var check = new Checker(record, errors);
        var category = Category(check, record, knownCategories);
        var messages = Conversation(check, record);
        var tags = record.Tags.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct().ToList();
        var author = check.Identifier("authorId", record.AuthorId) ?? Judgment.ImportAnnotator;
        var createdAt = Time(check, "createdAt", record.CreatedAt) ?? now;
        check.Identifier("id", record.Id);

        if (record.Kind == ImportKind.Sft)
        {
            var status = record.FullFidelity
                ? Parse(check, "status", record.Status, FormatVocabulary.Status) ?? SftStatus.Draft
                : asDraft ? SftStatus.Draft : SftStatus.Approved;
            var updatedAt = Time(check, "updatedAt", record.UpdatedAt) ?? createdAt;
            if (check.Failed) return null;
            var hash = ContentHash.ForSft(messages);
            var example = new SftExample
            {
                // Assigned by the import once all explicit ids are known.
                Key = record.Id ?? "",
                Messages = messages,
                Tags = tags,
                AuthorId = author,
                Status = status,
                ReviewComment = record.ReviewComment,
                CreatedAt = createdAt,
                UpdatedAt = updatedAt,
                SourceFile = record.File,
                SourceLine = record.Line,
                ContentHash = hash,
            };
            return new(record, hash, category, example, null, []);
        }

        var a = Response(check, record.ResponseA!);
        var b = Response(check, record.ResponseB!);
        if (a is not null && b is not null && TextNormalizer.Normalize(a.Text) == TextNormalizer.Normalize(b.Text))
            check.Error(record.ResponseB!.TextField, $"the same text as {record.ResponseA!.Field}");
        var (judgments, supersessions) = record.FullFidelity
            ? Judgments(check, record.Judgments)
            : (asDraft ? [] : [ImportJudgment()], []);
        if (check.Failed) return null;

        var pairHash = ContentHash.ForPair(messages, a!.Text, b!.Text);
        var pair = new PreferencePair
        {
            // Assigned by the import once all explicit ids are known.
            Key = record.Id ?? "",
            Prompt = messages,
            ResponseA = a,
            ResponseB = b,
            Tags = tags,
            AuthorId = author,
            CreatedAt = createdAt,
            SourceFile = record.File,
            SourceLine = record.Line,
            ContentHash = pairHash,
            Judgments = judgments,
        };
        return new(record, pairHash, category, null, pair, supersessions);
    }

    private static string? Category(Checker check, ImportRecord record, IReadOnlySet<string>? knownCategories)
    {
        var name = record.Category?.Trim();
        if (string.IsNullOrEmpty(name)) return null;
        if (name.Length > MaxIdentifierLength)
            check.Error("category", $"longer than {MaxIdentifierLength} characters");
        else if (knownCategories is not null && !knownCategories.Contains(name))
            check.Error("category", $"unknown category '{name}'; the workspace line and the workspace define: " +
                                    (knownCategories.Count == 0 ? "none" : string.Join(", ", knownCategories.Order(StringComparer.Ordinal))));
        return name;
    }

    private static List<ChatMessage> Conversation(Checker check, ImportRecord record)
    {
        var messages = record.Messages;
        var rolesKnown = true;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (!Roles.Contains(message.Role))
            {
                check.Error(message.RoleField, $"unknown role '{message.Role}'; expected {string.Join(", ", Roles)}");
                rolesKnown = false;
            }
            else if (message.Role == ChatRoles.System && i > 0)
            {
                check.Error(message.RoleField, "a system message must come first");
            }
            check.Text(message.ContentField, message.Content);
        }
        var result = messages.Select(m => new ChatMessage(m.Role, m.Content)).ToList();
        // The order of turns means nothing while a role is unknown; one error for the row is the clearer report.
        if (!rolesKnown) return result;

        var turns = messages.SkipWhile((m, i) => i == 0 && m.Role == ChatRoles.System).ToList();
        var isSft = record.Kind == ImportKind.Sft;
        if (turns.Count == 0)
            check.Error(record.MessagesField, isSft ? "no user and assistant messages" : "the prompt has no user message");
        else if (turns[0].Role != ChatRoles.User)
            check.Error(turns[0].RoleField, "the conversation must start with a user message (after an optional system message)");
        else if (isSft && turns[^1].Role != ChatRoles.Assistant)
            check.Error(record.MessagesField, "the last message must be the assistant's answer");
        else if (!isSft && turns[^1].Role != ChatRoles.User)
            check.Error(record.MessagesField, "the prompt must end with a user message");
        return result;
    }

    private static PairResponse? Response(Checker check, ResponseRecord response)
    {
        var textOk = check.Text(response.TextField, response.Text);
        var prefix = response.Field + ".";
        var origin = response.Origin is null
            ? ResponseOrigin.Human
            : Parse(check, prefix + "origin", response.Origin, FormatVocabulary.Origin);
        if (response.EditedFromPairId is not null && origin is not ResponseOrigin.Edited)
            check.Error(prefix + "editedFromPairId", "given, but origin is not 'edited'");
        check.Identifier(prefix + "model", response.Model);
        check.Identifier(prefix + "run", response.Run);
        check.Identifier(prefix + "editedFromPairId", response.EditedFromPairId);
        return textOk && origin is { } known
            ? new PairResponse
            {
                Text = response.Text, Origin = known, Model = response.Model, Run = response.Run,
                EditedFromPairKey = response.EditedFromPairId,
            }
            : null;
    }

    /// <summary>
    /// The file lists a pair's history; a later judgment by the same annotator supersedes the earlier one, in the
    /// order of createdAt and then of the file.
    /// </summary>
    private (List<Judgment>, List<(Judgment, Judgment)>) Judgments(Checker check, IReadOnlyList<JudgmentRecord> records)
    {
        var judgments = new List<Judgment>();
        foreach (var record in records)
        {
            var verdict = Parse(check, record.Field + ".verdict", record.Verdict, FormatVocabulary.Verdict);
            var strength = record.Strength is null ? null : Parse(check, record.Field + ".strength", record.Strength, FormatVocabulary.Strength);
            if (strength is not null && verdict is Verdict.Tie or Verdict.BothBad)
                check.Error(record.Field + ".strength", $"must be null for the verdict '{record.Verdict}'");
            var shownOrder = record.ShownOrder is null
                ? ShownOrder.AB
                : Parse(check, record.Field + ".shownOrder", record.ShownOrder, FormatVocabulary.ShownOrder);
            if (record.SecondsSpent is < 0)
                check.Error(record.Field + ".secondsSpent", "must not be negative");
            var annotator = check.Identifier(record.Field + ".annotatorId", record.AnnotatorId);
            var key = check.Identifier(record.Field + ".id", record.Id);
            if (judgments.Any(j => j.Key == key))
                check.Error(record.Field + ".id", $"the judgment id '{key}' appears twice in this pair");
            var createdAt = Time(check, record.Field + ".createdAt", record.CreatedAt) ?? now;
            if (verdict is not { } v || shownOrder is not { } order || annotator is null || key is null) continue;
            judgments.Add(new Judgment
            {
                Key = key,
                AnnotatorId = annotator,
                Verdict = v,
                Strength = strength,
                Rationale = record.Rationale,
                ShownOrder = order,
                SecondsSpent = record.SecondsSpent ?? 0,
                CreatedAt = createdAt,
                IsFinal = record.IsFinal,
            });
        }

        // Saved in this order, so that ids follow the history: an annotator's latest judgment also has the highest
        // id, which is how PairResolver and the SQL queries find it.
        var ordered = judgments.Select((j, index) => (j, index))
            .OrderBy(x => x.j.CreatedAt).ThenBy(x => x.index).Select(x => x.j).ToList();
        var supersessions = ordered.GroupBy(j => j.AnnotatorId, StringComparer.Ordinal)
            .SelectMany(history => history.Pairwise()).ToList();
        return (ordered, supersessions);
    }

    /// <summary>
    /// A curated pair from a file without judgments: chosen (A) over rejected (B). The file says nothing about how
    /// clear the preference is, so the strength stays unknown (null) rather than invented.
    /// </summary>
    private Judgment ImportJudgment() => new()
    {
        Key = ImportJudgmentKey,
        AnnotatorId = Judgment.ImportAnnotator,
        Verdict = Verdict.A,
        Strength = null,
        ShownOrder = ShownOrder.AB,
        CreatedAt = now,
    };

    private static DateTime? Time(Checker check, string field, string? value)
    {
        if (value is null) return null;
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            return time.UtcDateTime;
        check.Error(field, $"'{value}' is not an ISO 8601 timestamp such as 2026-10-01T09:00:00Z");
        return null;
    }

    private static T? Parse<T>(Checker check, string field, string? value, EnumVocabulary<T> vocabulary) where T : struct, Enum
    {
        if (value is not null && vocabulary.TryParse(value, out var parsed)) return parsed;
        check.Error(field, $"unknown value '{value}'; expected {vocabulary.Allowed}");
        return null;
    }

    /// <summary>Collects the errors of one row.</summary>
    private sealed class Checker(ImportRecord record, List<ImportError> errors)
    {
        public bool Failed { get; private set; }

        public void Error(string field, string message)
        {
            Failed = true;
            errors.Add(new(record.File, record.Line, field, message));
        }

        public bool Text(string field, string text)
        {
            if (!string.IsNullOrWhiteSpace(text)) return true;
            Error(field, "empty text");
            return false;
        }

        /// <summary>An optional id or name: null stays null; given, it must be non-blank and fit its column.</summary>
        public string? Identifier(string field, string? value)
        {
            if (value is null) return null;
            if (string.IsNullOrWhiteSpace(value)) Error(field, "empty");
            else if (value.Length > MaxIdentifierLength) Error(field, $"longer than {MaxIdentifierLength} characters");
            else return value;
            return null;
        }
    }
}

internal static class PairwiseExtensions
{
    /// <summary>Each element with the one before it: (second, first), (third, second), ….</summary>
    public static IEnumerable<(T Later, T Earlier)> Pairwise<T>(this IEnumerable<T> source) =>
        source.Zip(source.Skip(1), (earlier, later) => (later, earlier));
}
