using System.ComponentModel.DataAnnotations;
using AnnotateDpo.Core.Storage;

namespace AnnotateDpo.Web.Features.Dynamics;

/// <summary>The <c>Dynamics</c> configuration section.</summary>
public sealed class DynamicsOptions
{
    public const string SectionName = "Dynamics";

    /// <summary>The folder holding one folder per training run. Default: runs/ under <see cref="AppPaths.Home"/>, where the CLI writes them.</summary>
    [Required]
    public string RunsFolder { get; set; } = AppPaths.RunsFolder;
}
