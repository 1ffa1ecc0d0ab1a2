using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using AnnotateDpo.Core.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AnnotateDpo.Web.Hosting;

/// <summary>The <c>Cli</c> section: which <c>annotatedpo</c> the web app runs its child processes (training, jobs) with.</summary>
public sealed class CliOptions
{
    public const string SectionName = "Cli";

    /// <summary>
    /// <c>annotatedpo.dll</c> (run with <see cref="Dotnet"/>) or an <c>annotatedpo</c> executable. Empty (the default):
    /// <c>annotatedpo.dll</c> beside the web app when published together, else the checkout's build of
    /// src/AnnotateDpo.Cli in the web app's own build configuration.
    /// </summary>
    public string Path { get; set; } = "";

    /// <summary>The dotnet host that runs a dll. Empty: the SDK's (DOTNET_HOST_PATH), else dotnet on the PATH.</summary>
    public string Dotnet { get; set; } = "";
}

/// <summary>
/// Starts <c>annotatedpo</c> as a child process: the one place that finds the CLI and the host that runs it, so the
/// trainer and the jobs run the same build.
/// </summary>
public sealed class CliLauncher(CliOptions options)
{
    private const string CliAssembly = "annotatedpo.dll";

    public string CliPath
    {
        get
        {
            if (options.Path.Length > 0)
                return System.IO.Path.GetFullPath(options.Path);
            var beside = System.IO.Path.Combine(AppContext.BaseDirectory, CliAssembly);
            if (File.Exists(beside))
                return beside;
            var configuration = typeof(CliLauncher).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
            return System.IO.Path.Combine(AppPaths.Home, "src", "AnnotateDpo.Cli", "bin", configuration, "net10.0", CliAssembly);
        }
    }

    /// <summary>Null when the CLI is where the options say; otherwise what to do about it.</summary>
    public string? Problem => File.Exists(CliPath)
        ? null
        : $"The annotatedpo CLI {CliPath} does not exist; build src/AnnotateDpo.Cli (dotnet build AnnotateDpo.sln) or set Cli:Path.";

    /// <summary>
    /// <c>annotatedpo <paramref name="arguments"/></c> with its output redirected, in the app's home; under
    /// <c>nice -n <paramref name="niceness"/></c> on Unix when it is above 0, which every thread of the child inherits.
    /// </summary>
    public ProcessStartInfo StartInfo(IEnumerable<string> arguments, int niceness = 0)
    {
        var cli = CliPath;
        List<string> command = cli.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? [Host, cli] : [cli];
        if (!OperatingSystem.IsWindows() && niceness > 0)
            command.InsertRange(0, ["nice", "-n", niceness.ToString(CultureInfo.InvariantCulture)]);
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppPaths.Home,
        };
        foreach (var argument in command.Skip(1).Concat(arguments))
            start.ArgumentList.Add(argument);
        return start;
    }

    private string Host =>
        options.Dotnet is { Length: > 0 } configured ? configured
        : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } sdk ? sdk
        : "dotnet";
}

public static class CliLauncherExtensions
{
    /// <summary>The launcher every feature that runs the CLI shares; idempotent.</summary>
    public static IServiceCollection AddCliLauncher(this IServiceCollection services)
    {
        services.AddOptions<CliOptions>().BindConfiguration(CliOptions.SectionName);
        services.TryAddSingleton(provider => new CliLauncher(provider.GetRequiredService<IOptions<CliOptions>>().Value));
        return services;
    }
}
