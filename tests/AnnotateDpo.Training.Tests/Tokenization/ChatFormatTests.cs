using AnnotateDpo.Training.Tokenization;

namespace AnnotateDpo.Training.Tests.Tokenization;

public sealed class ChatFormatTests
{
    public static TheoryData<string, int> GoldenCases() => ChatTemplateGolden.AllCases();

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void RenderText_RealTemplate_MatchesTransformersByteForByte(string file, int caseIndex)
    {
        var golden = ChatTemplateGolden.Load(file);
        var testCase = golden.Cases[caseIndex];

        var rendered = golden.DetectFormat().RenderText(testCase.Messages, testCase.AddGenerationPrompt);

        Assert.Equal(testCase.Expected, rendered);
    }

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Render_RealTemplate_TargetsAreExactlyTheAssistantAnswersWithEndToken(string file, int caseIndex)
    {
        var golden = ChatTemplateGolden.Load(file);
        var testCase = golden.Cases[caseIndex];
        var format = golden.DetectFormat();
        var endOfTurn = format is Llama3Format ? Llama3Format.EndOfTurn : ChatMlFormat.ImEnd;
        var expectedTargets = testCase.Messages
            .Where(m => m.Role == ChatRoles.Assistant)
            .Select(m => (format is Llama3Format ? m.Content.Trim() : m.Content) + endOfTurn);

        var segments = format.Render(testCase.Messages, testCase.AddGenerationPrompt);

        Assert.Equal(testCase.Expected, string.Concat(segments.Select(s => s.Text)));
        Assert.Equal(expectedTargets, segments.Where(s => s.IsTarget).Select(s => s.Text));
    }

    [Theory]
    [InlineData("qwen2.5-instruct.json", "chatml", "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.")]
    [InlineData("smollm2-instruct.json", "chatml", "You are a helpful AI assistant named SmolLM, trained by Hugging Face")]
    [InlineData("llama3-instruct.json", "llama3", null)]
    public void Detect_RealTemplate_PicksFormatAndDefaultSystemPrompt(string file, string expectedName, string? expectedSystemPrompt)
    {
        var golden = ChatTemplateGolden.Load(file);

        var format = golden.DetectFormat();

        Assert.Equal(expectedName, format.Name);
        Assert.Equal(expectedSystemPrompt, (format as ChatMlFormat)?.DefaultSystemPrompt);
    }

    [Fact]
    public void Detect_OurChatMlTemplate_IsChatMlWithoutDefaultSystemPrompt()
    {
        var format = ChatFormats.Detect(ChatMlTokenizerFiles.ChatTemplate, bosToken: null, eosToken: ChatMlTokenizerFiles.ImEnd);

        var chatMl = Assert.IsType<ChatMlFormat>(format);
        Assert.Null(chatMl.DefaultSystemPrompt);
        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", chatMl.RenderText([new("user", "Hi")], addGenerationPrompt: true));
    }

    [Fact]
    public void Detect_NoTemplate_FallsBackToPlainEndingAnswersWithEos()
    {
        var format = ChatFormats.Detect(chatTemplate: null, bosToken: null, eosToken: "<|endoftext|>");

        var segments = format.Render([new("system", "Be brief."), new("user", "Hi"), new("assistant", "Hello")], addGenerationPrompt: false);

        Assert.Equal(ChatFormats.Plain, format.Name);
        Assert.Equal(
            [new ChatSegment("Be brief.\n\n### User:\nHi\n\n### Assistant:\n", false), new ChatSegment("Hello<|endoftext|>", true), new ChatSegment("\n\n", false)],
            segments);
    }

    [Fact]
    public void Detect_UnrecognisedTemplate_ThrowsAskingForAFormatName()
    {
        const string mistral = "{{ bos_token }}{% for message in messages %}[INST] {{ message['content'] }} [/INST]{% endfor %}";

        var error = Assert.Throws<NotSupportedException>(() => ChatFormats.Detect(mistral, "<s>", "</s>"));

        Assert.Contains("chatml, llama3, plain", error.Message);
    }

    [Fact]
    public void FromName_OverridesDetection()
    {
        var golden = ChatTemplateGolden.Load("qwen2.5-instruct.json");

        var format = ChatFormats.FromName("Plain", golden.ChatTemplate, bosToken: null, eosToken: "<|im_end|>");

        Assert.IsType<PlainFormat>(format);
    }

    [Fact]
    public void FromName_UnknownName_ThrowsListingValidNames()
    {
        var error = Assert.Throws<ArgumentException>(() => ChatFormats.FromName("vicuna", null, null, "</s>"));

        Assert.Contains("chatml, llama3, plain", error.Message);
    }

    [Fact]
    public void FromName_Llama3WithoutBos_ThrowsNamingBosToken()
    {
        var error = Assert.Throws<ArgumentException>(() => ChatFormats.FromName("llama3", null, bosToken: null, eosToken: "<|eot_id|>"));

        Assert.Contains("bos_token", error.Message);
    }

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Render_PromptWithGenerationPrompt_IsPrefixOfConversationWithAnswer(string file, int caseIndex)
    {
        var golden = ChatTemplateGolden.Load(file);
        var testCase = golden.Cases[caseIndex];
        var format = golden.DetectFormat();
        var prompt = testCase.Messages[^1].Role == ChatRoles.Assistant ? testCase.Messages.SkipLast(1).ToList() : testCase.Messages.ToList();

        var promptText = format.RenderText(prompt, addGenerationPrompt: true);
        var answered = format.RenderText([.. prompt, new ChatMessage(ChatRoles.Assistant, "答え")], addGenerationPrompt: false);

        Assert.StartsWith(promptText, answered, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UnknownRole_ThrowsNamingTheMessage()
    {
        var format = new ChatMlFormat(defaultSystemPrompt: null);

        var error = Assert.Throws<ArgumentException>(() => format.Render([new("user", "Hi"), new("tool", "{}")], addGenerationPrompt: false));

        Assert.Contains("Message 1 has role 'tool'", error.Message);
    }

    [Fact]
    public void Render_Llama31DatedTemplate_WritesSystemHeaderWithCutoffAndDate()
    {
        // The system-header part of Meta-Llama-3.1-8B-Instruct's template.
        const string template = """
            {{- bos_token }}{%- if not date_string is defined %}{%- set date_string = "26 Jul 2024" %}{%- endif %}
            {{- "<|start_header_id|>system<|end_header_id|>\n\n" }}{{- "Cutting Knowledge Date: December 2023\n" }}{{- "Today Date: " + date_string + "\n\n" }}
            """;
        var format = ChatFormats.Detect(template, "<|begin_of_text|>", "<|eot_id|>");

        var text = format.RenderText([new("system", " 保全の専門家です。 "), new("user", "Hi")], addGenerationPrompt: true);

        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n保全の専門家です。<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            text);
    }
}
