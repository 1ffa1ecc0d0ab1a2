using System.Text.Json;
using AnnotateDpo.Training.Tokenization;

namespace AnnotateDpo.Training.Pretraining;

/// <summary>
/// The texts a pretraining run learns from: every .txt file of the corpus folder (one document each), plus, when
/// given, SFT-like .jsonl rows rendered as ChatML conversations. Files are read in ordinal path order so the token
/// stream — and so the run — depends only on the folder's contents.
/// </summary>
public sealed class PretrainCorpus
{
    private PretrainCorpus(IReadOnlyList<string> documents, int textFiles, int chatRows)
    {
        Documents = documents;
        TextFiles = textFiles;
        ChatRows = chatRows;
    }

    public IReadOnlyList<string> Documents { get; }
    public int TextFiles { get; }
    public int ChatRows { get; }

    public static PretrainCorpus Load(string corpusDirectory, string? chatDirectory = null, CancellationToken cancellationToken = default)
    {
        var documents = new List<string>();
        foreach (var file in FilesIn(corpusDirectory, "*.txt", "corpus"))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var text = File.ReadAllText(file).Replace("\r\n", "\n", StringComparison.Ordinal);
            if (!string.IsNullOrWhiteSpace(text))
            {
                documents.Add(text);
            }
        }
        if (documents.Count == 0)
        {
            throw new InvalidDataException($"The corpus folder {corpusDirectory} has no non-empty .txt file.");
        }
        var textFiles = documents.Count;

        if (chatDirectory is not null)
        {
            var format = new ChatMlFormat(defaultSystemPrompt: null);
            foreach (var file in FilesIn(chatDirectory, "*.jsonl", "chat"))
            {
                var lineNumber = 0;
                foreach (var line in File.ReadLines(file))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    lineNumber++;
                    if (string.IsNullOrWhiteSpace(line))
                    {
                        continue;
                    }
                    if (ParseConversation(line, $"{file}:{lineNumber}") is { } conversation)
                    {
                        documents.Add(format.RenderText(conversation, addGenerationPrompt: false));
                    }
                }
            }
        }
        return new PretrainCorpus(documents, textFiles, documents.Count - textFiles);
    }

    /// <summary>All documents encoded, each followed by <c>&lt;|endoftext|&gt;</c>, as one stream.</summary>
    public int[] Encode(HfTokenizer tokenizer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var endOfText = tokenizer.TokenToId(ChatMlTokenizerFiles.EndOfText)
            ?? throw new InvalidDataException($"The tokenizer has no {ChatMlTokenizerFiles.EndOfText} token.");
        var stream = new List<int>();
        foreach (var document in Documents)
        {
            cancellationToken.ThrowIfCancellationRequested();
            stream.AddRange(tokenizer.Encode(document));
            stream.Add(endOfText);
        }
        return [.. stream];
    }

    private static IEnumerable<string> FilesIn(string directory, string pattern, string what)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The {what} folder {directory} does not exist.");
        }
        return Directory.EnumerateFiles(directory, pattern, SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// A row with <c>messages</c> [{role, content}], or a prompt/answer pair under TRL's or Alpaca's names. In
    /// AnnotateDpo's full-fidelity JSONL only <c>"type": "sft"</c> rows that are not rejected count; other rows
    /// (workspace, pair) give null.
    /// </summary>
    private static List<ChatMessage>? ParseConversation(string line, string where)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{where}: expected a JSON object.");
            }
            if (FirstString(root, "type") is { } type && type != "sft" || FirstString(root, "status") == "rejected")
            {
                return null;
            }
            if (root.TryGetProperty("messages", out var messages))
            {
                if (messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
                {
                    throw new InvalidDataException($"{where}: 'messages' must be a non-empty array.");
                }
                return messages.EnumerateArray().Select((m, i) => new ChatMessage(
                    StringField(m, "role", $"{where}: messages[{i}]"),
                    StringField(m, "content", $"{where}: messages[{i}]"))).ToList();
            }
            var prompt = FirstString(root, "prompt", "instruction", "question");
            var answer = FirstString(root, "completion", "output", "response", "answer");
            if (prompt is null || answer is null)
            {
                throw new InvalidDataException(
                    $"{where}: expected 'messages', or a prompt (prompt/instruction/question) and an answer (completion/output/response/answer).");
            }
            var input = FirstString(root, "input");
            var user = string.IsNullOrWhiteSpace(input) ? prompt : $"{prompt}\n\n{input}";
            return [new ChatMessage(ChatRoles.User, user), new ChatMessage(ChatRoles.Assistant, answer)];
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{where}: invalid JSON ({ex.Message}).", ex);
        }
    }

    private static string StringField(JsonElement element, string name, string where) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataException($"{where}: '{name}' must be a string.");

    private static string? FirstString(JsonElement root, params string[] names)
    {
        foreach (var name in names)
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            {
                return value.GetString();
            }
        }
        return null;
    }
}
