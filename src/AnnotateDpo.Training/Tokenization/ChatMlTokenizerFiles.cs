using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AnnotateDpo.Training.Tokenization;

/// <summary>
/// Trains and writes the tokenizer of our own tiny models: a byte-level BPE with Qwen2.5's ChatML special tokens,
/// saved as tokenizer.json + tokenizer_config.json so that transformers' AutoTokenizer and our <see cref="HfTokenizer"/>
/// load the same thing.
/// </summary>
public static class ChatMlTokenizerFiles
{
    public const string EndOfText = "<|endoftext|>";
    public const string ImStart = ChatMlFormat.ImStart;
    public const string ImEnd = ChatMlFormat.ImEnd;

    public static readonly IReadOnlyList<string> SpecialTokens = [EndOfText, ImStart, ImEnd];

    /// <summary>
    /// ChatML without a default system prompt. The <c>{% generation %}</c> block marks what transformers'
    /// <c>return_assistant_tokens_mask</c> (and so TRL's assistant_only_loss) trains on — the assistant content and
    /// its <c>&lt;|im_end|&gt;</c> — which is exactly the target segment of <see cref="ChatMlFormat"/>.
    /// </summary>
    public const string ChatTemplate =
        "{% for message in messages %}"
        + "{{ '<|im_start|>' + message['role'] + '\\n' }}"
        + "{% if message['role'] == 'assistant' %}"
        + "{% generation %}{{ message['content'] + '<|im_end|>' }}{% endgeneration %}{{ '\\n' }}"
        + "{% else %}{{ message['content'] + '<|im_end|>' + '\\n' }}{% endif %}"
        + "{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    public static BpeTokenizerModel Train(IEnumerable<string> corpus, int vocabSize, CancellationToken cancellationToken = default) =>
        BpeTokenizerTrainer.Train(corpus, vocabSize, SpecialTokens, cancellationToken);

    /// <summary>Writes tokenizer.json and tokenizer_config.json into <paramref name="directory"/>.</summary>
    /// <param name="modelMaxLength">The model's context length, saved as model_max_length.</param>
    public static void Write(string directory, BpeTokenizerModel model, int modelMaxLength)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(modelMaxLength);
        var missing = SpecialTokens.Except(model.SpecialTokens).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"The vocabulary lacks the ChatML special tokens {string.Join(", ", missing)}.", nameof(model));
        }

        Directory.CreateDirectory(directory);
        model.WriteTokenizerJson(Path.Combine(directory, HfTokenizer.TokenizerFileName));

        var addedTokens = new JsonObject();
        foreach (var token in model.SpecialTokens)
        {
            addedTokens[model.SpecialTokenId(token).ToString(CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["content"] = token,
                ["lstrip"] = false,
                ["normalized"] = false,
                ["rstrip"] = false,
                ["single_word"] = false,
                ["special"] = true,
            };
        }
        // Qwen2.5-Instruct's choices: no BOS, <|im_end|> ends a turn (and generation), <|endoftext|> pads.
        var config = new JsonObject
        {
            ["added_tokens_decoder"] = addedTokens,
            ["additional_special_tokens"] = new JsonArray(ImStart, ImEnd),
            ["bos_token"] = null,
            ["chat_template"] = ChatTemplate,
            ["clean_up_tokenization_spaces"] = false,
            ["eos_token"] = ImEnd,
            ["errors"] = "replace",
            ["model_max_length"] = modelMaxLength,
            ["pad_token"] = EndOfText,
            ["split_special_tokens"] = false,
            ["tokenizer_class"] = "PreTrainedTokenizerFast",
            ["unk_token"] = null,
        };
        var path = Path.Combine(directory, HfTokenizer.TokenizerConfigFileName);
        var options = new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        File.WriteAllText(path + ".tmp", config.ToJsonString(options));
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
