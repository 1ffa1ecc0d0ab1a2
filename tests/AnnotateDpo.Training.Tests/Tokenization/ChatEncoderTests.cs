using AnnotateDpo.Training.Tokenization;

namespace AnnotateDpo.Training.Tests.Tokenization;

public sealed class ChatEncoderTests(TrainedChatMlTokenizer trained) : IClassFixture<TrainedChatMlTokenizer>
{
    private static readonly ChatMessage[] ThreeTurns =
    [
        new("system", "あなたは工場保全のベテランです。"),
        new("user", "油圧プレスの異音がします。"),
        new("assistant", "まず電源を切り、油量を確認してください。"),
        new("user", "Oil level is fine."),
        new("assistant", "Then check the bearings 😀\n- vibration\n- noise"),
        new("user", "ありがとう"),
        new("assistant", "どういたしまして。"),
    ];

    private HfTokenizer Tokenizer => trained.Tokenizer;
    private ChatFormat Format => ChatFormats.For(Tokenizer);

    [Fact]
    public void Encode_ThreeTurns_LabelsCoverExactlyEachAssistantAnswerAndItsEndToken()
    {
        var encoded = ChatEncoder.Encode(ThreeTurns, Format, Tokenizer);

        Assert.Equal(encoded.InputIds.Length, encoded.Labels.Length);
        Assert.Equal(
            ThreeTurns.Where(m => m.Role == "assistant").Select(m => m.Content + "<|im_end|>"),
            TargetSpans(encoded).Select(span => Tokenizer.Decode(span)));
        Assert.All(
            encoded.Labels.Zip(encoded.InputIds),
            pair => Assert.True(pair.First == ChatEncoder.IgnoreIndex || pair.First == pair.Second));
    }

    [Fact]
    public void Encode_ThreeTurns_InputIdsDecodeToTheRenderedConversation()
    {
        var encoded = ChatEncoder.Encode(ThreeTurns, Format, Tokenizer);

        Assert.Equal(Format.RenderText(ThreeTurns, addGenerationPrompt: false), Tokenizer.Decode(encoded.InputIds));
    }

    [Fact]
    public void Encode_LastTurnOnly_TrainsOnTheFinalAnswerAlone()
    {
        var all = ChatEncoder.Encode(ThreeTurns, Format, Tokenizer);

        var last = ChatEncoder.Encode(ThreeTurns, Format, Tokenizer, lastTurnOnly: true);

        Assert.Equal(all.InputIds, last.InputIds);
        Assert.Equal(["どういたしまして。<|im_end|>"], TargetSpans(last).Select(span => Tokenizer.Decode(span)));
    }

    [Fact]
    public void Encode_ChatMlHeaders_AreSingleSpecialIdsAndNeverLabelled()
    {
        var imStart = Tokenizer.TokenToId("<|im_start|>")!.Value;
        var imEnd = Tokenizer.TokenToId("<|im_end|>")!.Value;

        var encoded = ChatEncoder.Encode(ThreeTurns, Format, Tokenizer);

        Assert.Equal(ThreeTurns.Length, encoded.InputIds.Count(id => id == imStart));
        Assert.Equal(ThreeTurns.Length, encoded.InputIds.Count(id => id == imEnd));
        Assert.DoesNotContain(imStart, encoded.Labels);
        Assert.Equal(3, encoded.Labels.Count(id => id == imEnd));
    }

    [Fact]
    public void Encode_NoAssistantMessage_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => ChatEncoder.Encode([new("user", "Hi")], Format, Tokenizer));

        Assert.Contains("no assistant message", error.Message);
    }

    [Fact]
    public void EncodePromptResponse_MatchesTheLastTurnOfEncode()
    {
        var prompt = ThreeTurns[..^1];
        var response = ThreeTurns[^1].Content;
        var sft = ChatEncoder.Encode(ThreeTurns, Format, Tokenizer, lastTurnOnly: true);

        var pair = ChatEncoder.EncodePromptResponse(prompt, response, Format, Tokenizer);

        var firstLabelled = Array.FindIndex(sft.Labels, label => label != ChatEncoder.IgnoreIndex);
        Assert.Equal(sft.InputIds[..firstLabelled], pair.PromptIds);
        Assert.Equal(sft.InputIds[firstLabelled..(firstLabelled + pair.ResponseIds.Length)], pair.ResponseIds);
        Assert.Equal(Format.RenderText(prompt, addGenerationPrompt: true), Tokenizer.Decode(pair.PromptIds));
        Assert.Equal(response + "<|im_end|>", Tokenizer.Decode(pair.ResponseIds));
    }

    [Fact]
    public void EncodePrompt_SameConversation_EqualsThePromptIdsUsedForScoring()
    {
        var prompt = ThreeTurns[..^1];

        var generationPrompt = ChatEncoder.EncodePrompt(prompt, Format, Tokenizer);

        Assert.Equal(ChatEncoder.EncodePromptResponse(prompt, "任意の答え", Format, Tokenizer).PromptIds, generationPrompt);
        Assert.EndsWith("<|im_start|>assistant\n", Tokenizer.Decode(generationPrompt), StringComparison.Ordinal);
    }

    [Fact]
    public void EncodePromptResponse_PromptEndingWithAssistant_Throws()
    {
        Assert.Throws<ArgumentException>(() => ChatEncoder.EncodePromptResponse(ThreeTurns, "more", Format, Tokenizer));
    }

    [Fact]
    public void Encode_Llama3Format_LabelsTrimmedAnswerAndEotWithHandWrittenTokenizer()
    {
        using var folder = new TempFolder();
        var model = BpeTokenizerTrainer.Train(
            TrainedChatMlTokenizer.Corpus(), 400, ["<|begin_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"]);
        model.WriteTokenizerJson(folder.File(HfTokenizer.TokenizerFileName));
        using var tokenizer = HfTokenizer.Load(folder.Path);
        var format = new Llama3Format("<|begin_of_text|>");

        var encoded = ChatEncoder.Encode([new("user", "Hi"), new("assistant", "  Hello!  ")], format, tokenizer);

        Assert.Equal(0, encoded.InputIds[0]);
        Assert.Equal(["Hello!<|eot_id|>"], TargetSpans(encoded).Select(span => tokenizer.Decode(span)));
    }

    /// <summary>The maximal runs of labelled positions, as ids.</summary>
    private static List<int[]> TargetSpans(EncodedChat encoded)
    {
        var spans = new List<int[]>();
        var current = new List<int>();
        foreach (var label in encoded.Labels.Append(ChatEncoder.IgnoreIndex))
        {
            if (label != ChatEncoder.IgnoreIndex)
            {
                current.Add(label);
            }
            else if (current.Count > 0)
            {
                spans.Add([.. current]);
                current.Clear();
            }
        }
        return spans;
    }
}
