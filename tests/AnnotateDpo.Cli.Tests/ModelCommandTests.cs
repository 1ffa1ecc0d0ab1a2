using System.Text.Json;
using AnnotateDpo.Training.Hf;
using AnnotateDpo.Training.Models;
using AnnotateDpo.Training.Scoring;
using AnnotateDpo.Training.Tokenization;

namespace AnnotateDpo.Cli.Tests;

[Collection(ModelCliCollection.Name)]
public sealed class ModelCommandTests(ModelCliFixture fixture)
{
    [Fact]
    public async Task ModelInfo_TinyModel_PrintsShapeChatFormatAndRoundTripOk()
    {
        using var model = HfModelLoader.Load(fixture.ModelDirectory);
        var parameters = model.parameters().Sum(p => p.numel());

        var run = await ModelCliFixture.RunAsync("model", "info", "--model", fixture.ModelDirectory);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("LlamaForCausalLM (llama)", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"parameters     {parameters:N0}"), run.Stdout, StringComparison.Ordinal);
        Assert.Contains("context        96", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("chat format    chatml (detected from chat_template)", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("round trip OK", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelInfoJson_TinyModel_HasTheConfigValues()
    {
        var run = await ModelCliFixture.RunAsync("model", "info", "--model", fixture.ModelDirectory, "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("layers").GetInt32());
        Assert.Equal(32, root.GetProperty("hidden_size").GetInt32());
        Assert.Equal(1, root.GetProperty("kv_heads").GetInt32());
        Assert.StartsWith("float32", root.GetProperty("dtype").GetString(), StringComparison.Ordinal);
        Assert.True(root.GetProperty("tokenizer_ok").GetBoolean());
        Assert.True(root.GetProperty("tied_embeddings").GetBoolean());
    }

    [Fact]
    public async Task ModelInfo_TokenizerBeyondModelVocab_FailsWithExit2()
    {
        var folder = Path.Combine(fixture.Root, "broken-vocab");
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(fixture.ModelDirectory))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
        }
        // A model of the same shape but a smaller embedding than the tokenizer needs.
        var config = HfModelConfig.Load(Path.Combine(folder, "config.json")) with { VocabSize = 200 };
        TinyModelFactory.Write(folder, config);

        var run = await ModelCliFixture.RunAsync("model", "info", "--model", folder);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("FAIL", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("vocab_size 200", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model", "info")]
    [InlineData("score", "--ids", "1,2")]
    [InlineData("generate", "--prompt", "hi")]
    [InlineData("bench", "model")]
    public async Task ModelCommands_MissingModelFolder_Exit2NamingIt(params string[] command)
    {
        var missing = Path.Combine(fixture.Root, "no-such-model");

        var run = await ModelCliFixture.RunAsync([.. command, "--model", missing]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"error: --model: the folder '{missing}' does not exist.", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelInfo_FolderWithoutConfig_Exit2SaysWhatIsMissing()
    {
        var run = await ModelCliFixture.RunAsync("model", "info", "--model", fixture.CorpusDirectory);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is not a Hugging Face model folder: it has no config.json", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoreJson_Ids_EqualsTheLibrarysLogProbs()
    {
        int[] ids = [3, 40, 41, 100, 7, 250];
        using var model = HfModelLoader.Load(fixture.ModelDirectory);
        var expected = TokenLogProbs.ScoreIds(model, ids);

        var run = await ModelCliFixture.RunAsync("score", "--model", fixture.ModelDirectory, "--ids", "3,40,41,100,7,250", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(["token_ids", "logprobs"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(ids, json.RootElement.GetProperty("token_ids").EnumerateArray().Select(e => e.GetInt32()));
        var logprobs = json.RootElement.GetProperty("logprobs").EnumerateArray().ToList();
        Assert.Equal(ids.Length, logprobs.Count);
        Assert.Equal(JsonValueKind.Null, logprobs[0].ValueKind);
        for (var i = 1; i < ids.Length; i++)
        {
            Assert.Equal(expected[i]!.Value, logprobs[i].GetSingle(), precision: 5);
            Assert.True(logprobs[i].GetSingle() < 0);
        }
    }

    [Fact]
    public async Task ScoreJson_Text_ScoresTheTokenizersIds()
    {
        const string text = "毎月バルブを点検する。Check the pump.";
        using var tokenizer = HfTokenizer.Load(fixture.ModelDirectory);
        using var model = HfModelLoader.Load(fixture.ModelDirectory);
        var ids = tokenizer.Encode(text);
        var expected = TokenLogProbs.ScoreIds(model, ids);

        var run = await ModelCliFixture.RunAsync("score", "--model", fixture.ModelDirectory, "--text", text, "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(ids, json.RootElement.GetProperty("token_ids").EnumerateArray().Select(e => e.GetInt32()));
        var actual = json.RootElement.GetProperty("logprobs").EnumerateArray().Skip(1).Select(e => e.GetSingle()).ToList();
        Assert.Equal(expected.Skip(1).Select(v => v!.Value), actual, (a, b) => Math.Abs(a - b) < 1e-5f);
    }

    [Fact]
    public async Task Score_IdOutsideVocabulary_Exit2NamingTheItem()
    {
        var run = await ModelCliFixture.RunAsync("score", "--model", fixture.ModelDirectory, "--ids", "1,2,99999");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--ids: item 3 (99999) is outside the model's vocabulary", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_BothIdsAndText_Exit2()
    {
        var run = await ModelCliFixture.RunAsync("score", "--model", fixture.ModelDirectory, "--ids", "1,2", "--text", "x");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("exactly one of --ids or --text", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateGreedy_TinyModel_PrintsTheLibrarysContinuation()
    {
        using var tokenizer = HfTokenizer.Load(fixture.ModelDirectory);
        using var model = HfModelLoader.Load(fixture.ModelDirectory);
        var promptIds = Commands.GenerateCommand.PromptIds(tokenizer, "毎月", system: null, raw: true, formatName: null);
        var expected = new Training.Generation.TextGenerator(model, tokenizer).Generate(promptIds, new Training.Generation.GenerationOptions
        {
            MaxNewTokens = 12,
            RepetitionPenalty = 1.1,
            EosTokenIds = GenerationConfigFile.EndTokenIds(fixture.ModelDirectory, tokenizer),
        });

        var run = await ModelCliFixture.RunAsync("generate", "--model", fixture.ModelDirectory, "--prompt", "毎月", "--raw",
            "--temperature", "0", "--max-new-tokens", "12");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(expected.Text + Environment.NewLine, run.Stdout);
        Assert.NotEmpty(expected.Text);
    }

    [Fact]
    public async Task GenerateWithAdapter_FreshLoraAdapter_LoadsAndKeepsTheBaseOutput()
    {
        var adapterFolder = Path.Combine(fixture.Root, "adapter");
        using (var model = HfModelLoader.Load(fixture.ModelDirectory))
        {
            // A fresh adapter has B = 0, so it must not change what the model says.
            Training.Lora.LoraAdapter.Apply(model, Training.Lora.LoraConfig.For(model.Config, rank: 2, alpha: 4)).Save(adapterFolder);
        }
        string[] args = ["generate", "--model", fixture.ModelDirectory, "--prompt", "毎月", "--raw", "--temperature", "0", "--max-new-tokens", "8"];

        var plain = await ModelCliFixture.RunAsync(args);
        var adapted = await ModelCliFixture.RunAsync([.. args, "--adapter", adapterFolder]);
        var missing = await ModelCliFixture.RunAsync([.. args, "--adapter", Path.Combine(fixture.Root, "no-adapter")]);

        Assert.Equal(0, adapted.ExitCode);
        Assert.Equal(plain.Stdout, adapted.Stdout);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--adapter", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_ChatPrompt_SameSeedSameText()
    {
        string[] args = ["generate", "--model", fixture.ModelDirectory, "--prompt", "ポンプの異音は？", "--max-new-tokens", "10", "--seed", "5"];

        var first = await ModelCliFixture.RunAsync(args);
        var second = await ModelCliFixture.RunAsync(args);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Stdout, second.Stdout);
    }

    [Fact]
    public async Task Generate_TopPOutOfRange_Exit2NamingTheOption()
    {
        var run = await ModelCliFixture.RunAsync("generate", "--model", fixture.ModelDirectory, "--prompt", "x", "--top-p", "1.5");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--top-p", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchModel_TinyModel_PrintsTimesThroughputAndPeakMemory()
    {
        var run = await ModelCliFixture.RunAsync("bench", "model", "--model", fixture.ModelDirectory, "--batch", "2", "--seq", "16", "--steps", "2");

        Assert.Equal(0, run.ExitCode);
        foreach (var label in new[] { "forward ", "backward ", "optimizer ", "tokens/s", "peak RSS" })
        {
            Assert.Contains(label, run.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task BenchModel_UnknownRandomConfig_Exit2ListingKnown()
    {
        var run = await ModelCliFixture.RunAsync("bench", "model", "--random-config", "gpt-5");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("known: smollm2-135m", run.Stderr, StringComparison.Ordinal);
    }
}
