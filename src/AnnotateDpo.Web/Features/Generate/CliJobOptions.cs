namespace AnnotateDpo.Web.Features.Generate;

/// <summary>How the web app runs long generation work: the <c>annotatedpo</c> CLI in a child process.</summary>
public sealed class CliJobOptions
{
    public const string SectionName = "Jobs";

    /// <summary>
    /// The CLI's annotatedpo.dll. Empty: beside the web app, else the newest build under src/AnnotateDpo.Cli/bin of
    /// the app's home.
    /// </summary>
    public string Cli { get; set; } = "";

    /// <summary>The dotnet host that runs it. Empty: the SDK's (DOTNET_HOST_PATH), else dotnet on the PATH.</summary>
    public string Dotnet { get; set; } = "";
}
