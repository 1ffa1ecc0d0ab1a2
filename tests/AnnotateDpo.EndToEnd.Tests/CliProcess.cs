using System.Diagnostics;

namespace AnnotateDpo.EndToEnd.Tests;

public sealed record CliResult(int ExitCode, string StdOut, string StdErr);

/// <summary>Runs the real <c>annotatedpo</c> CLI, as built beside the web app, in a child process.</summary>
public static class CliProcess
{
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        var cliOutput = Path.Combine(WebAppFixture.RepositoryRoot, "src", "AnnotateDpo.Cli", "bin", WebAppFixture.BuildConfiguration, "net10.0");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = cliOutput,
        };
        start.ArgumentList.Add(Path.Combine(cliOutput, "annotatedpo.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start annotatedpo.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
