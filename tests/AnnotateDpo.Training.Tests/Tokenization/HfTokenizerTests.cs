using System.Text.Json.Nodes;
using AnnotateDpo.Training.Tokenization;

namespace AnnotateDpo.Training.Tests.Tokenization;

public sealed class HfTokenizerTests(TrainedChatMlTokenizer trained) : IClassFixture<TrainedChatMlTokenizer>
{
    private HfTokenizer Tokenizer => trained.Tokenizer;

    [Theory]
    [InlineData("油圧プレスの異音がします。")]
    [InlineData("絵文字 😀👍🏽 と 𠮷野家")]
    [InlineData("line 1\nline 2\r\n\n\ttabbed  double  spaces ")]
    [InlineData(" leading space")]
    [InlineData("mixed English と日本語, digits 12345 and symbols <>&\"'")]
    public void EncodeDecode_TrainedTokenizer_RoundTripsExactly(string text)
    {
        var ids = Tokenizer.Encode(text);

        var decoded = Tokenizer.Decode(ids);

        Assert.NotEmpty(ids);
        Assert.Equal(text, decoded);
    }

    [Fact]
    public void Encode_SpecialTokenText_BecomesSingleSpecialId()
    {
        var imStart = Tokenizer.TokenToId(ChatMlTokenizerFiles.ImStart);
        var imEnd = Tokenizer.TokenToId(ChatMlTokenizerFiles.ImEnd);

        var ids = Tokenizer.Encode("<|im_start|>user\nこんにちは<|im_end|>");

        Assert.NotNull(imStart);
        Assert.NotNull(imEnd);
        Assert.Equal(imStart, ids[0]);
        Assert.Equal(imEnd, ids[^1]);
        Assert.Single(ids, id => id == imStart);
        Assert.True(Tokenizer.IsSpecialId(ids[0]));
        Assert.False(Tokenizer.IsSpecialId(ids[1]));
        Assert.Equal("user\nこんにちは", Tokenizer.Decode(ids[1..^1]));
    }

    [Fact]
    public void Decode_SpecialIds_KeptByDefaultAndDroppedWhenSkipped()
    {
        var ids = Tokenizer.Encode("<|im_start|>assistant\n答え<|im_end|>");

        var kept = Tokenizer.Decode(ids);
        var skipped = Tokenizer.Decode(ids, skipSpecialTokens: true);

        Assert.Equal("<|im_start|>assistant\n答え<|im_end|>", kept);
        Assert.Equal("assistant\n答え", skipped);
    }

    [Fact]
    public void Load_WrittenChatMlFiles_ExposesSpecialTokensAndTemplate()
    {
        var tokenizer = Tokenizer;

        Assert.Equal(trained.Model.VocabSize, tokenizer.VocabSize);
        Assert.Null(tokenizer.BosId);
        Assert.Equal(tokenizer.TokenToId("<|im_end|>"), tokenizer.EosId);
        Assert.Equal(tokenizer.TokenToId("<|endoftext|>"), tokenizer.PadId);
        Assert.Equal(ChatMlTokenizerFiles.ChatTemplate, tokenizer.ChatTemplate);
        Assert.Null(tokenizer.TokenToId("<|not_a_token|>"));
    }

    [Fact]
    public void Decode_IdOutsideVocabulary_ThrowsNamingTheId()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.Decode([1, Tokenizer.VocabSize]));

        Assert.Contains($"Token id {Tokenizer.VocabSize}", error.Message);
    }

    [Fact]
    public void Encode_PostProcessorWithBosAndEos_AddsThemOnlyWhenAsked()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File(HfTokenizer.TokenizerFileName), WordLevelTokenizerJson);
        File.WriteAllText(folder.File(HfTokenizer.TokenizerConfigFileName), """
            {
              "bos_token": { "__type": "AddedToken", "content": "<s>", "lstrip": false, "normalized": false, "rstrip": false, "single_word": false, "special": true },
              "eos_token": "</s>",
              "pad_token": null,
              "added_tokens_decoder": { "0": { "content": "<s>", "special": true }, "1": { "content": "</s>", "special": true } },
              "chat_template": [ { "name": "tool_use", "template": "tools" }, { "name": "default", "template": "{{ bos_token }}" } ]
            }
            """);
        using var tokenizer = HfTokenizer.Load(folder.Path);

        var plain = tokenizer.Encode("hello world");
        var withSpecials = tokenizer.Encode("hello world", addSpecialTokens: true);

        Assert.Equal([3, 4], plain);
        Assert.Equal([0, 3, 4, 1], withSpecials);
        Assert.Equal((0, 1), (tokenizer.BosId, tokenizer.EosId));
        Assert.Null(tokenizer.PadId);
        Assert.Equal("{{ bos_token }}", tokenizer.ChatTemplate);
        Assert.Equal(5, tokenizer.VocabSize);
    }

    [Fact]
    public void Load_ConfigAddedTokenWithOtherIdThanTokenizerJson_ThrowsNamingIt()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File(HfTokenizer.TokenizerFileName), WordLevelTokenizerJson);
        File.WriteAllText(folder.File(HfTokenizer.TokenizerConfigFileName), """{ "added_tokens_decoder": { "7": { "content": "<s>", "special": true } } }""");

        var error = Assert.Throws<InvalidDataException>(() => HfTokenizer.Load(folder.Path));

        Assert.Contains("'<s>' as id 7", error.Message);
    }

    [Fact]
    public void Load_EosTokenNotInVocabulary_ThrowsNamingTheField()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File(HfTokenizer.TokenizerFileName), WordLevelTokenizerJson);
        File.WriteAllText(folder.File(HfTokenizer.TokenizerConfigFileName), """{ "eos_token": "<|eot_id|>" }""");

        var error = Assert.Throws<InvalidDataException>(() => HfTokenizer.Load(folder.Path));

        Assert.Contains("eos_token '<|eot_id|>'", error.Message);
    }

    [Fact]
    public void Load_FolderWithoutTokenizerJson_ThrowsNamingThePath()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<FileNotFoundException>(() => HfTokenizer.Load(folder.Path));

        Assert.Equal(Path.Combine(folder.Path, "tokenizer.json"), error.FileName);
    }

    [Fact]
    public void Load_BrokenTokenizerJson_ThrowsInvalidData()
    {
        using var folder = new TempFolder();
        var json = JsonNode.Parse(WordLevelTokenizerJson)!;
        json["model"]!["type"] = "NoSuchModel";
        File.WriteAllText(folder.File(HfTokenizer.TokenizerFileName), json.ToJsonString());

        var error = Assert.Throws<InvalidDataException>(() => HfTokenizer.Load(folder.Path));

        Assert.Contains("could not load", error.Message);
    }

    [Fact]
    public void Load_ConfigWithWrongValueKind_ThrowsNamingTheFile()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File(HfTokenizer.TokenizerFileName), WordLevelTokenizerJson);
        File.WriteAllText(folder.File(HfTokenizer.TokenizerConfigFileName), """{ "chat_template": 42 }""");

        var error = Assert.Throws<InvalidDataException>(() => HfTokenizer.Load(folder.Path));

        Assert.Contains("not a valid tokenizer_config.json", error.Message);
    }

    [Fact]
    public void Load_UnigramTokenizer_ReadsVocabListIndexedById()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File(HfTokenizer.TokenizerFileName), """
            {
              "version": "1.0", "truncation": null, "padding": null,
              "added_tokens": [ { "id": 0, "content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true } ],
              "normalizer": null,
              "pre_tokenizer": { "type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true },
              "post_processor": null,
              "decoder": { "type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true },
              "model": { "type": "Unigram", "unk_id": 0, "byte_fallback": false, "vocab": [ ["<unk>", 0.0], ["▁hello", -1.0], ["▁world", -1.5], ["▁", -3.0] ] }
            }
            """);
        using var tokenizer = HfTokenizer.Load(folder.Path);

        var ids = tokenizer.Encode("hello world");

        Assert.Equal([1, 2], ids);
        Assert.Equal(2, tokenizer.TokenToId("▁world"));
        Assert.Equal(4, tokenizer.VocabSize);
        Assert.Equal("hello world", tokenizer.Decode(ids));
    }

    /// <summary>A hand-written WordLevel tokenizer whose TemplateProcessing wraps a sequence in &lt;s&gt; … &lt;/s&gt;, like Llama's.</summary>
    private const string WordLevelTokenizerJson = """
        {
          "version": "1.0", "truncation": null, "padding": null,
          "added_tokens": [
            { "id": 0, "content": "<s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true },
            { "id": 1, "content": "</s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true }
          ],
          "normalizer": null,
          "pre_tokenizer": { "type": "Whitespace" },
          "post_processor": {
            "type": "TemplateProcessing",
            "single": [ { "SpecialToken": { "id": "<s>", "type_id": 0 } }, { "Sequence": { "id": "A", "type_id": 0 } }, { "SpecialToken": { "id": "</s>", "type_id": 0 } } ],
            "pair": [ { "Sequence": { "id": "A", "type_id": 0 } }, { "Sequence": { "id": "B", "type_id": 1 } } ],
            "special_tokens": {
              "<s>": { "id": "<s>", "ids": [0], "tokens": ["<s>"] },
              "</s>": { "id": "</s>", "ids": [1], "tokens": ["</s>"] }
            }
          },
          "decoder": null,
          "model": { "type": "WordLevel", "vocab": { "<s>": 0, "</s>": 1, "<unk>": 2, "hello": 3, "world": 4 }, "unk_token": "<unk>" }
        }
        """;
}
