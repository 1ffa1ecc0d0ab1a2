using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NativeTokenizer = Tokenizers.DotNet.Tokenizer;

namespace AnnotateDpo.Training.Tokenization;

/// <summary>
/// A Hugging Face tokenizer loaded from a model folder: tokenizer.json is run by the Rust tokenizers library
/// (through Tokenizers.DotNet), so ids match transformers exactly; tokenizer_config.json supplies the special tokens
/// and the chat template.
/// </summary>
/// <remarks>
/// Tokenizers.DotNet 1.4.1 exposes only <c>Encode(text)</c> with add_special_tokens=true and <c>Decode(ids)</c> with
/// skip_special_tokens=true. To get HF's defaults for chat work — nothing added, nothing dropped — two native
/// tokenizers are loaded from edited copies of tokenizer.json: one without the post-processor (which only adds
/// special tokens and adjusts offsets), used to encode, and one whose added tokens are not flagged special, used to
/// decode with special tokens kept. The post-processor's tokens are added here when asked.
/// </remarks>
public sealed class HfTokenizer : IDisposable
{
    public const string TokenizerFileName = "tokenizer.json";
    public const string TokenizerConfigFileName = "tokenizer_config.json";
    public const string ChatTemplateFileName = "chat_template.jinja";

    private readonly NativeTokenizer _native;
    private readonly NativeTokenizer _nativeKeepingSpecials;
    private readonly Dictionary<string, int> _tokenToId;
    private readonly HashSet<int> _specialIds;
    private readonly int[] _prefixIds;
    private readonly int[] _suffixIds;

    private HfTokenizer(NativeTokenizer native, NativeTokenizer nativeKeepingSpecials, TokenizerFile file, TokenizerConfig config)
    {
        _native = native;
        _nativeKeepingSpecials = nativeKeepingSpecials;
        _tokenToId = file.TokenToId;
        _specialIds = file.SpecialIds;
        _prefixIds = file.PrefixIds;
        _suffixIds = file.SuffixIds;
        VocabSize = _tokenToId.Count == 0 ? 0 : _tokenToId.Values.Max() + 1;
        ChatTemplate = config.ChatTemplate;
        BosToken = config.BosToken;
        EosToken = config.EosToken;
        PadToken = config.PadToken;
        BosId = IdOfConfiguredToken(BosToken, "bos_token");
        EosId = IdOfConfiguredToken(EosToken, "eos_token");
        PadId = IdOfConfiguredToken(PadToken, "pad_token");
    }

    /// <summary>Number of ids the tokenizer can produce (highest id + 1), like <c>len(tokenizer)</c> in transformers.</summary>
    public int VocabSize { get; }

    /// <summary>The Jinja chat template from tokenizer_config.json or chat_template.jinja; null when the model has none.</summary>
    public string? ChatTemplate { get; }

    public string? BosToken { get; }
    public string? EosToken { get; }
    public string? PadToken { get; }
    public int? BosId { get; }
    public int? EosId { get; }
    public int? PadId { get; }

    /// <summary>Loads tokenizer.json and, when present, tokenizer_config.json from <paramref name="modelDirectory"/>.</summary>
    public static HfTokenizer Load(string modelDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        var tokenizerPath = Path.Combine(modelDirectory, TokenizerFileName);
        if (!File.Exists(tokenizerPath))
        {
            throw new FileNotFoundException($"No {TokenizerFileName} in {modelDirectory}.", tokenizerPath);
        }
        var file = TokenizerFile.Read(tokenizerPath);
        var config = TokenizerConfig.Read(modelDirectory);
        NativeTokenizer? encoder = null;
        NativeTokenizer? decoder = null;
        try
        {
            encoder = LoadNative(file.EncodingJson, tokenizerPath);
            decoder = LoadNative(file.DecodingJson, tokenizerPath);
            var tokenizer = new HfTokenizer(encoder, decoder, file, config);
            tokenizer.CheckAddedTokens(file, config, tokenizerPath);
            return tokenizer;
        }
        catch
        {
            encoder?.Dispose();
            decoder?.Dispose();
            throw;
        }
    }

    /// <summary>Encodes text like <c>tokenizer.encode(text, add_special_tokens=...)</c>. Special-token text such as
    /// "&lt;|im_start|&gt;" always becomes its single id, as in HF.</summary>
    /// <param name="addSpecialTokens">Add what the tokenizer's post-processor adds (e.g. Llama-3's BOS). Off by
    /// default because chat templates write their special tokens themselves.</param>
    public int[] Encode(string text, bool addSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = text.Length == 0 ? [] : Array.ConvertAll(_native.Encode(text), id => checked((int)id));
        return addSpecialTokens ? [.. _prefixIds, .. ids, .. _suffixIds] : ids;
    }

    /// <summary>Decodes ids like <c>tokenizer.decode(ids, skip_special_tokens=...)</c>.</summary>
    public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var native = new uint[ids.Count];
        for (var i = 0; i < ids.Count; i++)
        {
            // The native decoder silently returns "" for an unknown id.
            native[i] = ids[i] >= 0 && ids[i] < VocabSize
                ? (uint)ids[i]
                : throw new ArgumentOutOfRangeException(nameof(ids), ids[i], $"Token id {ids[i]} at position {i} is outside the vocabulary (0..{VocabSize - 1}).");
        }
        return native.Length == 0 ? "" : (skipSpecialTokens ? _native : _nativeKeepingSpecials).Decode(native);
    }

    /// <summary>The id of a vocabulary or added token; null when the tokenizer does not have it.</summary>
    public int? TokenToId(string token) => _tokenToId.TryGetValue(token, out var id) ? id : null;

    /// <summary>Whether the id is an added token flagged special (what skip_special_tokens drops).</summary>
    public bool IsSpecialId(int id) => _specialIds.Contains(id);

    public void Dispose()
    {
        _native.Dispose();
        _nativeKeepingSpecials.Dispose();
    }

    /// <summary>
    /// The Rust library gives an added token the id its tokenizer.json entry states only when the model vocabulary
    /// agrees, and transformers would add tokens that only tokenizer_config.json lists; both would make our ids
    /// differ from HF's, so such files are refused here rather than trained on.
    /// </summary>
    private void CheckAddedTokens(TokenizerFile file, TokenizerConfig config, string tokenizerPath)
    {
        foreach (var (content, id) in file.AddedTokens.Where(token => IsSpecialId(token.Id)))
        {
            if (Encode(content) is not [var encoded] || encoded != id)
            {
                throw new InvalidDataException($"{tokenizerPath}: added token '{content}' (id {id}) does not encode to its own id; the file is inconsistent.");
            }
        }
        foreach (var (id, content) in config.AddedTokensDecoder)
        {
            if (TokenToId(content) != id)
            {
                throw new InvalidDataException(
                    $"{TokenizerConfigFileName}: added_tokens_decoder lists '{content}' as id {id}, but {TokenizerFileName} has it as {TokenToId(content)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no token"}.");
            }
        }
    }

    private int? IdOfConfiguredToken(string? token, string field) =>
        token is null
            ? null
            : TokenToId(token) ?? throw new InvalidDataException($"{TokenizerConfigFileName}: {field} '{token}' is not in the vocabulary of {TokenizerFileName}.");

    /// <summary>The native library reads only files, parses them in its constructor and keeps nothing open.</summary>
    private static NativeTokenizer LoadNative(string json, string originalPath)
    {
        var path = Path.Combine(Path.GetTempPath(), $"annotatedpo-tokenizer-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, json, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            return new NativeTokenizer(path);
        }
        catch (Tokenizers.DotNet.TokenizerException e)
        {
            throw new InvalidDataException($"The tokenizers library could not load {originalPath}: {e.Message}", e);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>What is read from tokenizer.json itself.</summary>
    private sealed record TokenizerFile(
        string EncodingJson, string DecodingJson, Dictionary<string, int> TokenToId, HashSet<int> SpecialIds, IReadOnlyList<(string Content, int Id)> AddedTokens, int[] PrefixIds, int[] SuffixIds)
    {
        public static TokenizerFile Read(string path) => ReadJson(path, root => From(root, path));

        private static TokenizerFile From(JsonObject root, string path)
        {
            var tokenToId = new Dictionary<string, int>(StringComparer.Ordinal);
            ReadModelVocab(root["model"], tokenToId, path);
            var addedTokens = new List<(string, int)>();
            var specialIds = new HashSet<int>();
            foreach (var added in root["added_tokens"]?.AsArray() ?? [])
            {
                var content = added?["content"]?.GetValue<string>() ?? throw new InvalidDataException($"{path}: an added token has no content.");
                var id = added["id"]?.GetValue<int>() ?? throw new InvalidDataException($"{path}: added token '{content}' has no id.");
                tokenToId[content] = id;
                addedTokens.Add((content, id));
                if (added["special"]?.GetValue<bool>() == true)
                {
                    specialIds.Add(id);
                }
            }
            var (prefix, suffix) = PostProcessorSpecials(root["post_processor"], path);
            root["post_processor"] = null;
            var encodingJson = root.ToJsonString();
            foreach (var added in root["added_tokens"]?.AsArray() ?? [])
            {
                added!["special"] = false;
            }
            return new TokenizerFile(encodingJson, root.ToJsonString(), tokenToId, specialIds, addedTokens, prefix, suffix);
        }

        /// <summary>BPE, WordPiece and WordLevel keep vocab as {token: id}; Unigram as [[piece, score], ...] indexed by id.</summary>
        private static void ReadModelVocab(JsonNode? model, Dictionary<string, int> tokenToId, string path)
        {
            switch (model?["vocab"])
            {
                case JsonObject vocab:
                    foreach (var (token, id) in vocab)
                    {
                        tokenToId[token] = id!.GetValue<int>();
                    }
                    break;
                case JsonArray pieces:
                    for (var id = 0; id < pieces.Count; id++)
                    {
                        tokenToId[pieces[id]![0]!.GetValue<string>()] = id;
                    }
                    break;
                default:
                    throw new InvalidDataException($"{path}: model.vocab is missing.");
            }
        }

        /// <summary>The special ids the post-processor puts before and after a single sequence.</summary>
        private static (int[] Prefix, int[] Suffix) PostProcessorSpecials(JsonNode? processor, string path)
        {
            if (processor is null)
            {
                return ([], []);
            }
            var type = processor["type"]?.GetValue<string>();
            switch (type)
            {
                case "ByteLevel":
                    return ([], []);
                case "TemplateProcessing":
                    return TemplateSpecials(processor, path);
                case "BertProcessing" or "RobertaProcessing":
                    // Serialized as "cls": [token, id], "sep": [token, id].
                    return ([processor["cls"]![1]!.GetValue<int>()], [processor["sep"]![1]!.GetValue<int>()]);
                case "Sequence":
                    var parts = (processor["processors"]?.AsArray() ?? []).Select(p => PostProcessorSpecials(p, path)).ToList();
                    return ([.. parts.SelectMany(p => p.Prefix)], [.. parts.SelectMany(p => p.Suffix)]);
                default:
                    throw new InvalidDataException($"{path}: post_processor type '{type}' is not supported (ByteLevel, TemplateProcessing, BertProcessing, RobertaProcessing, Sequence are).");
            }
        }

        private static (int[] Prefix, int[] Suffix) TemplateSpecials(JsonNode processor, string path)
        {
            var prefix = new List<int>();
            var suffix = new List<int>();
            var seenSequence = false;
            foreach (var piece in processor["single"]?.AsArray() ?? [])
            {
                if (piece?["Sequence"] is not null)
                {
                    seenSequence = true;
                    continue;
                }
                var name = piece?["SpecialToken"]?["id"]?.GetValue<string>()
                    ?? throw new InvalidDataException($"{path}: post_processor.single has an item that is neither Sequence nor SpecialToken.");
                var ids = processor["special_tokens"]?[name]?["ids"]?.AsArray()
                    ?? throw new InvalidDataException($"{path}: post_processor.special_tokens lacks '{name}'.");
                (seenSequence ? suffix : prefix).AddRange(ids.Select(id => id!.GetValue<int>()));
            }
            return ([.. prefix], [.. suffix]);
        }
    }

    /// <summary>What is read from tokenizer_config.json (all optional) and chat_template.jinja.</summary>
    private sealed record TokenizerConfig(
        string? BosToken, string? EosToken, string? PadToken, string? ChatTemplate, IReadOnlyList<(int Id, string Content)> AddedTokensDecoder)
    {
        public static TokenizerConfig Read(string modelDirectory)
        {
            var path = Path.Combine(modelDirectory, TokenizerConfigFileName);
            return File.Exists(path) ? ReadJson(path, root => From(root, path, modelDirectory)) : From([], path, modelDirectory);
        }

        private static TokenizerConfig From(JsonObject root, string path, string modelDirectory)
        {
            var added = new List<(int, string)>();
            foreach (var (key, value) in root["added_tokens_decoder"]?.AsObject() ?? [])
            {
                if (!int.TryParse(key, System.Globalization.CultureInfo.InvariantCulture, out var id) || TokenContent(value) is not { } content)
                {
                    throw new InvalidDataException($"{path}: added_tokens_decoder entry '{key}' needs an integer key and a content.");
                }
                added.Add((id, content));
            }
            var templatePath = Path.Combine(modelDirectory, ChatTemplateFileName);
            var template = ChatTemplateOf(root["chat_template"], path)
                ?? (File.Exists(templatePath) ? File.ReadAllText(templatePath) : null);
            return new TokenizerConfig(
                TokenContent(root["bos_token"]), TokenContent(root["eos_token"]), TokenContent(root["pad_token"]), template, added);
        }

        /// <summary>Special tokens are saved either as a string or as an AddedToken object with a "content".</summary>
        private static string? TokenContent(JsonNode? node) => node switch
        {
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            JsonObject token => token["content"]?.GetValue<string>(),
            _ => null,
        };

        /// <summary>A single template is a string; older configs hold a list of {name, template} with a "default".</summary>
        private static string? ChatTemplateOf(JsonNode? node, string path) => node switch
        {
            null => null,
            JsonValue value => value.GetValue<string>(),
            JsonArray named => named.FirstOrDefault(t => t?["name"]?.GetValue<string>() == "default")?["template"]?.GetValue<string>()
                ?? throw new InvalidDataException($"{path}: chat_template is a list without a 'default' template."),
            _ => throw new InvalidDataException($"{path}: chat_template must be a string or a list of named templates."),
        };
    }

    /// <summary>Parses a JSON object and reads it; a value of the wrong kind becomes an error naming the file.</summary>
    private static T ReadJson<T>(string path, Func<JsonObject, T> read)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) is JsonObject root
                ? read(root)
                : throw new InvalidDataException($"{path} does not hold a JSON object.");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path} is not a valid {Path.GetFileName(path)}: {e.Message}", e);
        }
    }
}
