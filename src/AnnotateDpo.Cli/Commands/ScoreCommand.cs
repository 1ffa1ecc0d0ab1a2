using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AnnotateDpo.Training.Runtime;
using AnnotateDpo.Training.Scoring;
using AnnotateDpo.Training.Tokenization;

namespace AnnotateDpo.Cli.Commands;

/// <summary><c>logprobs[i] = log p(token_ids[i] | token_ids[&lt;i])</c>; null for the first token.</summary>
internal sealed record ScoreOutput(
    [property: JsonPropertyName("token_ids")] IReadOnlyList<int> TokenIds,
    [property: JsonPropertyName("logprobs")] IReadOnlyList<float?> LogProbs);

internal static class ScoreCommand
{
    private static readonly JsonSerializerOptions CompactJson = new(CliSupport.Json) { WriteIndented = false };

    public static Command Create()
    {
        var model = ModelFolder.Option();
        var ids = new Option<string?>("--ids") { Description = "Comma-separated token ids, e.g. 1,2,3." };
        var text = new Option<string?>("--text") { Description = "Text to tokenize (no special tokens added) and score." };
        var json = new Option<bool>("--json") { Description = "Print {\"token_ids\": [...], \"logprobs\": [null, ...]}." };
        var command = new Command("score", "Log-probability of every token given the ones before it (teacher forcing).")
        {
            model, ids, text, json,
        };
        command.SetAction((parse, ct) => CliSupport.RunAsync(() =>
        {
            var folder = parse.GetValue(model)!;
            var idsText = parse.GetValue(ids);
            var textValue = parse.GetValue(text);
            if ((idsText is null) == (textValue is null))
            {
                throw new ArgumentException("Give exactly one of --ids or --text.");
            }
            var config = ModelFolder.LoadConfig(folder);
            using var tokenizer = textValue is null ? null : ModelFolder.LoadTokenizer(folder);
            var tokenIds = tokenizer is null ? ParseIds(idsText!, config.VocabSize) : tokenizer.Encode(textValue!);
            if (tokenIds.Length == 0)
            {
                throw new ArgumentException("--text: the text encodes to no tokens.");
            }
            using var causalLm = ModelFolder.LoadModel(folder, TorchDevice.Select());
            var output = new ScoreOutput(tokenIds, TokenLogProbs.ScoreIds(causalLm, tokenIds));
            Console.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(output, CompactJson) : Render(output, tokenizer));
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    public static int[] ParseIds(string text, int vocabSize)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var ids = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out ids[i]))
            {
                throw new ArgumentException($"--ids: item {i + 1} ('{parts[i]}') is not a token id (a non-negative integer).");
            }
            if (ids[i] >= vocabSize)
            {
                throw new ArgumentException($"--ids: item {i + 1} ({ids[i]}) is outside the model's vocabulary (0..{vocabSize - 1}).");
            }
        }
        return ids;
    }

    private static string Render(ScoreOutput output, HfTokenizer? tokenizer)
    {
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string> { $"{"pos",4} {"id",7} {"logprob",10}  token" };
        for (var i = 0; i < output.TokenIds.Count; i++)
        {
            var id = output.TokenIds[i];
            var piece = tokenizer is null ? "" : JsonSerializer.Serialize(tokenizer.Decode([id]), CliSupport.Json);
            var logProb = output.LogProbs[i]?.ToString("F4", c) ?? "-";
            lines.Add($"{i,4} {id,7} {logProb,10}  {piece}");
        }
        var scored = output.LogProbs.Where(p => p is not null).Select(p => (double)p!.Value).ToList();
        if (scored.Count > 0)
        {
            lines.Add(string.Create(c, $"sum {scored.Sum():F4} over {scored.Count} tokens; mean {scored.Average():F4}; perplexity {Math.Exp(-scored.Average()):F2}"));
        }
        return string.Join(Environment.NewLine, lines);
    }
}
