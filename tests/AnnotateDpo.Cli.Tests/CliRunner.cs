using System.Diagnostics;

namespace AnnotateDpo.Cli.Tests;

public sealed record CliResult(int ExitCode, string StdOut, string StdErr);

/// <summary>Runs the real <c>annotatedpo</c> executable (copied beside the tests) in a child process.</summary>
public static class CliRunner
{
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        using var child = Start(args);
        return await child.WaitAsync();
    }

    /// <summary>Starts the executable and returns at once, for tests that signal or kill it while it runs.</summary>
    public static CliProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "annotatedpo.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return new CliProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start annotatedpo."));
    }
}

/// <summary>A running <c>annotatedpo</c> child process with its output being read.</summary>
public sealed class CliProcess(Process process) : IDisposable
{
    private readonly Task<string> stdout = process.StandardOutput.ReadToEndAsync();
    private readonly Task<string> stderr = process.StandardError.ReadToEndAsync();

    public Process Process { get; } = process;

    public async Task<CliResult> WaitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await Process.WaitForExitAsync(timeout.Token);
        return new CliResult(Process.ExitCode, await stdout, await stderr);
    }

    public void Dispose()
    {
        if (!Process.HasExited)
            Process.Kill(entireProcessTree: true);
        Process.Dispose();
    }
}
