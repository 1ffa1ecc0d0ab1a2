using System.Globalization;
using System.Text.RegularExpressions;

namespace AnnotateDpo.Training.Tokenization;

/// <summary>Chooses the <see cref="ChatFormat"/> for a model, from its chat template or by name.</summary>
public static partial class ChatFormats
{
    public const string ChatMl = "chatml";
    public const string Llama3 = "llama3";
    public const string Plain = "plain";

    public static IReadOnlyList<string> Names { get; } = [ChatMl, Llama3, Plain];

    /// <summary>The format for a loaded tokenizer: <paramref name="formatName"/> when given, else detected from its template.</summary>
    public static ChatFormat For(HfTokenizer tokenizer, string? formatName = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return formatName is null
            ? Detect(tokenizer.ChatTemplate, tokenizer.BosToken, tokenizer.EosToken)
            : FromName(formatName, tokenizer.ChatTemplate, tokenizer.BosToken, tokenizer.EosToken);
    }

    /// <summary>
    /// Recognises a template by the special tokens it writes: ChatML's &lt;|im_start|&gt;, Llama-3's
    /// &lt;|start_header_id|&gt;. A model without a template (GPT-2 style) gets the plain format. Any other template
    /// is refused: training an instruct model in a format it was not tuned on would quietly waste the run.
    /// </summary>
    public static ChatFormat Detect(string? chatTemplate, string? bosToken, string? eosToken, TimeProvider? clock = null)
    {
        var name = chatTemplate switch
        {
            null => Plain,
            _ when chatTemplate.Contains(ChatMlFormat.ImStart, StringComparison.Ordinal) => ChatMl,
            _ when chatTemplate.Contains(Llama3Format.StartHeader, StringComparison.Ordinal) => Llama3,
            _ => throw new NotSupportedException(
                $"The model's chat_template is neither ChatML nor Llama-3; choose a chat format by name ({string.Join(", ", Names)}) if one of them fits."),
        };
        return FromName(name, chatTemplate, bosToken, eosToken, clock);
    }

    /// <summary>
    /// The named format, with what the template says about it: ChatML's default system prompt, Llama-3's dated
    /// system header. <paramref name="clock"/> supplies "today" for templates that call strftime_now, as
    /// transformers does (local time).
    /// </summary>
    public static ChatFormat FromName(string name, string? chatTemplate, string? bosToken, string? eosToken, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToLowerInvariant() switch
        {
            ChatMl => new ChatMlFormat(DefaultSystemPrompt(chatTemplate)),
            Llama3 => new Llama3Format(
                bosToken ?? throw new ArgumentException("The llama3 chat format needs a bos_token in tokenizer_config.json.", nameof(bosToken)),
                DateHeader(chatTemplate, clock ?? TimeProvider.System)),
            Plain => new PlainFormat(
                eosToken ?? throw new ArgumentException("The plain chat format needs an eos_token in tokenizer_config.json to end answers.", nameof(eosToken))),
            _ => throw new ArgumentException($"Unknown chat format '{name}'; valid names: {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    /// <summary>
    /// The literal system message a ChatML template writes when the conversation has none, e.g. Qwen2.5's
    /// <c>'&lt;|im_start|&gt;system\nYou are Qwen, …&lt;|im_end|&gt;\n'</c>. Only a literal counts: the text may hold
    /// no quote, so the branch that writes <c>messages[0]['content']</c> between the same tokens does not match.
    /// </summary>
    private static string? DefaultSystemPrompt(string? chatTemplate)
    {
        var match = chatTemplate is null ? Match.Empty : DefaultSystemPattern().Match(chatTemplate);
        return match.Success ? UnescapeJinjaString(match.Groups[1].Value) : null;
    }

    private static Llama3DateHeader? DateHeader(string? chatTemplate, TimeProvider clock)
    {
        var cutoff = chatTemplate is null ? Match.Empty : KnowledgeCutoffPattern().Match(chatTemplate);
        if (!cutoff.Success)
        {
            return null;
        }
        // Llama 3.2 asks for strftime_now("%d %b %Y"); 3.1 falls back to a fixed date_string.
        var fixedDate = DateStringPattern().Match(chatTemplate!);
        var today = chatTemplate!.Contains("strftime_now", StringComparison.Ordinal) || !fixedDate.Success
            ? clock.GetLocalNow().ToString("dd MMM yyyy", CultureInfo.InvariantCulture)
            : fixedDate.Groups[1].Value;
        return new Llama3DateHeader(cutoff.Groups[1].Value, today);
    }

    /// <summary>Jinja string literals use Python escapes; templates in practice only use \n, \t, \\ and quotes.</summary>
    private static string UnescapeJinjaString(string literal) =>
        JinjaEscapePattern().Replace(literal, m => m.Groups[1].Value switch
        {
            "n" => "\n",
            "t" => "\t",
            var other => other,
        });

    [GeneratedRegex(@"<\|im_start\|>system(?:\\n|\n)((?:\\.|[^'""\\])*?)<\|im_end\|>")]
    private static partial Regex DefaultSystemPattern();

    [GeneratedRegex(@"Cutting Knowledge Date: (.*?)(?:\\n|\n)")]
    private static partial Regex KnowledgeCutoffPattern();

    [GeneratedRegex(@"set date_string = [""']([^""']+)[""']")]
    private static partial Regex DateStringPattern();

    [GeneratedRegex(@"\\(.)")]
    private static partial Regex JinjaEscapePattern();
}
