using System.Diagnostics;
using System.Text.Json;
using AnnotateDpo.Training.Hf;
using AnnotateDpo.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AnnotateDpo.Training.Tests.Models;

/// <summary>
/// Compares our log-probs with tests/reference/hf_forward.py, an independent from-scratch implementation in
/// float64 on Debian's python3-torch that reads the safetensors file itself.
/// </summary>
public class ReferenceForwardTests
{
    private const string Python = "/usr/bin/python3";

    private static readonly long[][] Sequences = [[5, 9, 17, 3, 44, 8, 120, 64, 1, 77, 12, 90], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]];

    public static TheoryData<ModelArchitecture> Architectures =>
        [ModelArchitecture.Llama, ModelArchitecture.Qwen2, ModelArchitecture.Mistral, ModelArchitecture.Gpt2];

    [Theory]
    [MemberData(nameof(Architectures))]
    public void NextTokenLogProbs_TinyModel_MatchIndependentPythonReference(ModelArchitecture architecture)
    {
        using var folder = new TempFolder();
        TinyModelFactory.Write(folder.Path, architecture, seed: 11);
        using var model = HfModelLoader.Load(folder.Path);

        var expected = RunReference(folder.Path);
        var actual = LogProbs(model);

        Assert.Equal(Sequences.Length, expected.Length);
        var maxDifference = expected.Zip(actual).SelectMany(pair => pair.First.Zip(pair.Second, (e, a) => Math.Abs(e - a))).Max();
        Assert.True(maxDifference < 1e-4, $"max |Δ log p| = {maxDifference:E2} against the reference");
        Assert.True(expected.SelectMany(r => r).Distinct().Count() > 10, "the reference should give varied log-probs");
    }

    private static double[][] LogProbs(CausalLM model)
    {
        using var noGrad = no_grad();
        using var ids = torch.tensor(Sequences.SelectMany(s => s).ToArray(), Sequences.Length, Sequences[0].Length); // (B, T)
        using var logits = model.Forward(ids); // (B, T, V)
        using var logProbs = nn.functional.log_softmax(logits, -1);
        using var previous = logProbs[.., ..^1]; // (B, T-1, V)
        using var next = ids[.., 1..].unsqueeze(-1); // (B, T-1, 1)
        using var picked = previous.gather(-1, next).squeeze(-1).to(ScalarType.Float64); // (B, T-1)
        return Enumerable.Range(0, Sequences.Length)
            .Select(b => { using var row = picked[b]; return row.data<double>().ToArray(); })
            .ToArray();
    }

    private static double[][] RunReference(string folder)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: apt-get install -y python3 python3-torch libopenblas0-pthread");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ScriptPath());
        start.ArgumentList.Add(folder);
        start.ArgumentList.Add(JsonSerializer.Serialize(Sequences));
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.True(process.ExitCode == 0,
            $"hf_forward.py failed (exit {process.ExitCode}); does {Python} have torch? " +
            $"Install it with: apt-get install -y python3-torch libopenblas0-pthread.\n{stderr.Result}");
        return JsonDocument.Parse(stdout).RootElement.GetProperty("logprobs").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray())
            .ToArray();
    }

    private static string ScriptPath()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "tests", "reference", "hf_forward.py");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException($"tests/reference/hf_forward.py not found above {AppContext.BaseDirectory}.");
    }
}
