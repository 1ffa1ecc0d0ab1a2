using AnnotateDpo.Core.Storage;

namespace AnnotateDpo.Web.Features.Dynamics;

/// <summary>
/// Read from the <c>Training</c> section, so the page reads run folders where the training service writes them.
/// </summary>
public sealed class DynamicsOptions
{
    public const string SectionName = "Training";

    /// <summary>
    /// <c>Training:RunsFolder</c>: the folder holding one folder per training run. Default: runs/ under
    /// <see cref="AppPaths.Home"/>, where the CLI writes them.
    /// </summary>
    public string RunsFolder { get; set; } = "";

    public string ResolvedRunsFolder => Path.GetFullPath(RunsFolder.Length > 0 ? RunsFolder : AppPaths.RunsFolder);
}
