using AnnotateDpo.Training.Pretraining;

namespace AnnotateDpo.Training.Tests.Pretraining;

public sealed class PretrainPiecesTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(0, 1e-3)] // warmup: (0 + 1) / 10 of the peak
    [InlineData(9, 1e-2)] // warmup ends at the peak
    [InlineData(10, 1e-2)] // cosine starts at the peak
    [InlineData(60, 5.5e-3)] // halfway through the decay: (peak + min) / 2
    [InlineData(110, 1e-3)] // the last step reaches peak × minRatio
    public void LearningRateSchedule_At_FollowsWarmupThenCosine(int step, double expected)
    {
        var lr = LearningRateSchedule.At(step, totalSteps: 111, warmupSteps: 10, peak: 1e-2, minRatio: 0.1);

        Assert.Equal(expected, lr, precision: 12);
    }

    [Fact]
    public void TokenWindowSampler_Next_TargetsAreInputsShiftedByOne()
    {
        var tokens = Enumerable.Range(0, 100).ToArray();
        var sampler = new TokenWindowSampler(tokens, sequenceLength: 8, seed: 1);

        var (inputs, targets) = sampler.Next(batchSize: 3);

        Assert.Equal(24, inputs.Length);
        Assert.All(Enumerable.Range(0, 24), i => Assert.Equal(inputs[i] + 1, targets[i]));
        Assert.All(Enumerable.Range(0, 3), b => Assert.Equal(inputs[b * 8] + 7, inputs[b * 8 + 7]));
    }

    [Fact]
    public void TokenWindowSampler_SameSeed_SameBatches()
    {
        var tokens = Enumerable.Range(0, 1000).ToArray();

        var a = new TokenWindowSampler(tokens, 16, seed: 5).Next(4);
        var b = new TokenWindowSampler(tokens, 16, seed: 5).Next(4);

        Assert.Equal(a.Inputs, b.Inputs);
    }

    [Fact]
    public void TokenWindowSampler_StreamShorterThanOneSequence_ThrowsWithCounts()
    {
        var error = Assert.Throws<InvalidDataException>(() => new TokenWindowSampler(new int[10], sequenceLength: 10, seed: 0));

        Assert.Contains("10 tokens", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PretrainCorpus_Load_RendersChatRowsAsChatMl()
    {
        var corpus = TinyCorpus.Write(_temp.File("corpus"));
        Directory.CreateDirectory(_temp.File("chat"));
        File.WriteAllLines(_temp.File("chat/sft.jsonl"),
        [
            """{"messages":[{"role":"user","content":"異音は？"},{"role":"assistant","content":"ベアリングを点検します。"}]}""",
            "",
            """{"prompt":"What first?","completion":"Lock out the pump."}""",
        ]);

        var loaded = PretrainCorpus.Load(corpus, _temp.File("chat"));

        Assert.Equal(2, loaded.TextFiles);
        Assert.Equal(2, loaded.ChatRows);
        Assert.Equal("<|im_start|>user\n異音は？<|im_end|>\n<|im_start|>assistant\nベアリングを点検します。<|im_end|>\n", loaded.Documents[2]);
        Assert.Equal("<|im_start|>user\nWhat first?<|im_end|>\n<|im_start|>assistant\nLock out the pump.<|im_end|>\n", loaded.Documents[3]);
    }

    [Fact]
    public void PretrainCorpus_Load_BadChatRow_NamesFileAndLine()
    {
        var corpus = TinyCorpus.Write(_temp.File("corpus"));
        Directory.CreateDirectory(_temp.File("chat"));
        File.WriteAllLines(_temp.File("chat/sft.jsonl"), ["""{"prompt":"a","completion":"b"}""", """{"prompt":"only a prompt"}"""]);

        var error = Assert.Throws<InvalidDataException>(() => PretrainCorpus.Load(corpus, _temp.File("chat")));

        Assert.Contains("sft.jsonl:2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PretrainCorpus_Load_WorkspaceJsonl_TakesOnlySftRowsThatAreNotRejected()
    {
        var corpus = TinyCorpus.Write(_temp.File("corpus"));
        Directory.CreateDirectory(_temp.File("chat"));
        File.WriteAllLines(_temp.File("chat/ws.annotatedpo.jsonl"),
        [
            """{"type":"workspace","name":"w"}""",
            """{"type":"sft","status":"approved","messages":[{"role":"user","content":"q1"},{"role":"assistant","content":"a1"}]}""",
            """{"type":"sft","status":"rejected","messages":[{"role":"user","content":"q2"},{"role":"assistant","content":"a2"}]}""",
            """{"type":"pair","prompt":[{"role":"user","content":"q3"}]}""",
        ]);

        var loaded = PretrainCorpus.Load(corpus, _temp.File("chat"));

        Assert.Equal(1, loaded.ChatRows);
        Assert.Contains("a1<|im_end|>", loaded.Documents[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void PretrainCorpus_Load_FolderWithoutText_Throws()
    {
        Directory.CreateDirectory(_temp.File("empty"));

        Assert.Throws<InvalidDataException>(() => PretrainCorpus.Load(_temp.File("empty")));
    }
}
