using AnnotateDpo.Training.Hf;

namespace AnnotateDpo.Cli.Tests;

[Collection(ModelCliCollection.Name)]
public sealed class PretrainCommandTests(ModelCliFixture fixture)
{
    [Fact]
    public async Task Pretrain_TinyCorpus_PrintsProgressAndSavesALoadableModel()
    {
        var output = Path.Combine(fixture.Root, $"pretrained-{Guid.NewGuid():N}");

        var run = await ModelCliFixture.RunAsync("pretrain", "--corpus", fixture.CorpusDirectory, "--out", output,
            "--steps", "6", "--log-every", "2", "--vocab", "300", "--hidden", "32", "--layers", "1", "--heads", "2", "--kv-heads", "1",
            "--intermediate", "64", "--context", "64", "--seq", "32", "--batch", "2", "--warmup", "2", "--threads", "1");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("step 2/6 loss ", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("step 6/6 loss ", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("done: ", run.Stdout, StringComparison.Ordinal);
        using var model = HfModelLoader.Load(output);
        Assert.Equal(1, model.Config.NumHiddenLayers);
        Assert.Equal(64, model.Config.MaxPositionEmbeddings);
    }

    [Fact]
    public async Task Pretrain_MissingCorpus_Exit2NamingTheFolder()
    {
        var missing = Path.Combine(fixture.Root, "no-corpus");

        var run = await ModelCliFixture.RunAsync("pretrain", "--corpus", missing, "--out", Path.Combine(fixture.Root, "unused"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(missing, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pretrain_HiddenNotDivisibleByHeads_Exit2NamingTheSettings()
    {
        var run = await ModelCliFixture.RunAsync("pretrain", "--corpus", fixture.CorpusDirectory, "--out", Path.Combine(fixture.Root, "unused"),
            "--hidden", "30", "--heads", "4");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Hidden (30) must be a multiple of Heads (4)", run.Stderr, StringComparison.Ordinal);
    }
}
