using AnnotateDpo.Training.Hf;
using AnnotateDpo.Training.Pretraining;
using AnnotateDpo.Training.Tokenization;

namespace AnnotateDpo.Training.Tests.Pretraining;

public sealed class PretrainRunnerTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private PretrainOptions Tiny(string output, int seed = 7, int steps = 40) => new()
    {
        CorpusDirectory = TinyCorpus.Write(_temp.File("corpus")),
        OutputDirectory = _temp.File(output),
        VocabSize = 320,
        Hidden = 32,
        Layers = 2,
        Heads = 2,
        KeyValueHeads = 1,
        Intermediate = 64,
        ContextLength = 64,
        SequenceLength = 32,
        BatchSize = 4,
        Steps = steps,
        WarmupSteps = 4,
        LearningRate = 1e-2,
        EvalFraction = 0.2,
        Seed = seed,
        Threads = 1,
    };

    [Fact]
    public void Run_FewStepsOnSmallCorpus_LowersLoss()
    {
        var options = Tiny("model");

        var result = new PretrainRunner().Run(options);

        Assert.Equal(options.Steps, result.Losses.Count);
        Assert.InRange(result.Losses[0], Math.Log(result.VocabSize) - 1, Math.Log(result.VocabSize) + 1);
        Assert.True(result.Losses.TakeLast(5).Average() < result.Losses[0] - 1.5,
            $"loss went {result.Losses[0]:F3} → {result.Losses.TakeLast(5).Average():F3}");
        Assert.NotNull(result.FinalEvalLoss);
        Assert.True(result.FinalEvalLoss < result.InitialEvalLoss - 1.0, $"eval loss {result.InitialEvalLoss:F3} → {result.FinalEvalLoss:F3}");
    }

    [Fact]
    public void Run_SavedFolder_LoadsBackWithIdenticalEvalLoss()
    {
        var options = Tiny("model", steps: 10);
        var result = new PretrainRunner().Run(options);

        using var tokenizer = HfTokenizer.Load(options.OutputDirectory);
        using var model = HfModelLoader.Load(options.OutputDirectory);
        var stream = PretrainCorpus.Load(options.CorpusDirectory).Encode(tokenizer);
        var eval = stream[^(int)(stream.Length * options.EvalFraction)..];
        var reloaded = PretrainRunner.EvalLoss(model, eval, options.SequenceLength, options.BatchSize);

        Assert.Equal(result.TrainTokens + result.EvalTokens, stream.Length);
        Assert.Equal(result.FinalEvalLoss!.Value, reloaded!.Value, precision: 5);
        foreach (var file in new[] { "config.json", "model.safetensors", "generation_config.json", "tokenizer.json", "tokenizer_config.json", PretrainRunner.RunConfigFileName })
        {
            Assert.True(File.Exists(Path.Combine(options.OutputDirectory, file)), file);
        }
        Assert.Equal(ChatFormats.ChatMl, ChatFormats.For(tokenizer).Name);
        Assert.Equal("LlamaForCausalLM", model.Config.Architectures[0]);
        Assert.Equal(tokenizer.VocabSize, model.Config.VocabSize);
        Assert.Empty(Directory.GetDirectories(options.OutputDirectory));
    }

    [Fact]
    public void Run_OverAnEarlierModel_ReplacesItsTokenizerFiles()
    {
        var options = Tiny("model", steps: 2);
        Directory.CreateDirectory(options.OutputDirectory);
        File.WriteAllText(Path.Combine(options.OutputDirectory, "chat_template.jinja"), "{{ 'stale' }}");
        File.WriteAllText(Path.Combine(options.OutputDirectory, "merges.txt"), "stale");

        new PretrainRunner().Run(options);

        Assert.False(File.Exists(Path.Combine(options.OutputDirectory, "chat_template.jinja")));
        Assert.False(File.Exists(Path.Combine(options.OutputDirectory, "merges.txt")));
        using var tokenizer = HfTokenizer.Load(options.OutputDirectory);
        Assert.Equal(ChatMlTokenizerFiles.ChatTemplate, tokenizer.ChatTemplate);
    }

    [Fact]
    public void Run_SameSeed_SameLossSequence()
    {
        var first = new PretrainRunner().Run(Tiny("a", seed: 3, steps: 8));
        var second = new PretrainRunner().Run(Tiny("b", seed: 3, steps: 8));
        var otherSeed = new PretrainRunner().Run(Tiny("c", seed: 4, steps: 8));

        Assert.Equal(first.Losses, second.Losses);
        Assert.NotEqual(first.Losses, otherSeed.Losses);
        Assert.Equal(File.ReadAllBytes(_temp.File("a/model.safetensors")), File.ReadAllBytes(_temp.File("b/model.safetensors")));
    }

    [Fact]
    public void Run_ReportsProgressPerStepWindow()
    {
        var options = Tiny("model", steps: 6) with { LogEvery = 2 };
        var reports = new List<PretrainProgress>();

        new PretrainRunner().Run(options, new SynchronousProgress<PretrainProgress>(reports.Add));

        var steps = reports.Where(r => r.Stage == PretrainStage.Training && r.Step > 0).Select(r => r.Step).ToList();
        Assert.Equal([1, 2, 4, 6], steps);
        Assert.All(reports.Where(r => r.Step > 0), r => Assert.True(r.TokensPerSecond > 0 && double.IsFinite(r.Loss)));
        Assert.Contains(reports, r => r.Stage == PretrainStage.Saving);
    }

    [Fact]
    public void Run_Cancelled_ThrowsAndWritesNoModel()
    {
        var options = Tiny("model");
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<PretrainProgress>(p =>
        {
            if (p.Step >= 1)
            {
                cancellation.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => new PretrainRunner().Run(options, progress, cancellation.Token));

        Assert.False(File.Exists(Path.Combine(options.OutputDirectory, "model.safetensors")));
        Assert.Empty(Directory.GetFileSystemEntries(options.OutputDirectory));
    }

    [Fact]
    public void Run_MissingCorpus_ThrowsNamingTheFolder()
    {
        var options = Tiny("model") with { CorpusDirectory = _temp.File("nowhere") };

        var error = Assert.Throws<DirectoryNotFoundException>(() => new PretrainRunner().Run(options));

        Assert.Contains("nowhere", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SequenceLongerThanContext_ThrowsNamingBoth()
    {
        var options = Tiny("model") with { SequenceLength = 128, ContextLength = 64 };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("SequenceLength (128)", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; tests need the callback to run inline.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
