namespace AnnotateDpo.Cli.Tests;

/// <summary>The committed demo model (seed-data/models/demo-tiny) must keep loading as the model code evolves.</summary>
[Collection(ModelCliCollection.Name)]
public sealed class ModelDemoTests
{
    [Fact]
    public async Task ModelInfo_CommittedDemoModel_LoadsWithChatMlAndRoundTripOk()
    {
        var demo = Path.Combine(RepositoryRoot(), "seed-data", "models", "demo-tiny");

        var run = await ModelCliFixture.RunAsync("model", "info", "--model", demo);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("parameters     3,950,848", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("chat format    chatml", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("round trip OK", run.Stdout, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "AnnotateDpo.sln")))
            {
                return folder.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No AnnotateDpo.sln above {AppContext.BaseDirectory}.");
    }
}
