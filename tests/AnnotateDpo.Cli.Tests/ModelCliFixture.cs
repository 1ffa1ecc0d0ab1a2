using System.CommandLine;
using AnnotateDpo.Cli.Commands;
using AnnotateDpo.Training.Pretraining;

namespace AnnotateDpo.Cli.Tests;

/// <summary>A tiny model pretrained once by our own runner, and an in-process CLI with the model commands.</summary>
public sealed class ModelCliFixture : IDisposable
{
    public ModelCliFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), $"annotatedpo-cli-tests-{Guid.NewGuid():N}");
        CorpusDirectory = WriteCorpus(Path.Combine(Root, "corpus"));
        ModelDirectory = Path.Combine(Root, "model");
        new PretrainRunner().Run(new PretrainOptions
        {
            CorpusDirectory = CorpusDirectory,
            OutputDirectory = ModelDirectory,
            VocabSize = 320,
            Hidden = 32,
            Layers = 2,
            Heads = 2,
            KeyValueHeads = 1,
            Intermediate = 64,
            ContextLength = 96,
            SequenceLength = 32,
            BatchSize = 4,
            Steps = 20,
            WarmupSteps = 2,
            LearningRate = 1e-2,
            Threads = 1,
        });
    }

    public string Root { get; }
    public string CorpusDirectory { get; }
    public string ModelDirectory { get; }

    public static string WriteCorpus(string folder)
    {
        Directory.CreateDirectory(folder);
        string[] parts = ["油圧ポンプ", "バルブ", "ベアリング", "pump", "valve", "bearing"];
        File.WriteAllLines(Path.Combine(folder, "ja.txt"), Enumerable.Range(0, 50).Select(i => $"毎月{parts[i % 6]}を点検する。異音があれば記録する。"));
        File.WriteAllLines(Path.Combine(folder, "en.txt"), Enumerable.Range(0, 50).Select(i => $"Check the {parts[i % 6]} every month and log any noise."));
        return folder;
    }

    /// <summary>Runs the CLI in this process with stdout and stderr captured (callers are in one non-parallel collection).</summary>
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        var root = CliRoot.Create();

        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var (oldOut, oldError) = (Console.Out, Console.Error);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var exitCode = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
            return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

public sealed record CliRun(int ExitCode, string Stdout, string Stderr);

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ModelCliCollection : ICollectionFixture<ModelCliFixture>
{
    public const string Name = "Model CLI (console capture)";
}
