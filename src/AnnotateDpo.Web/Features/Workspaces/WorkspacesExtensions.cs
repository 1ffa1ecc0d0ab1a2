namespace AnnotateDpo.Web.Features.Workspaces;

public static class WorkspacesExtensions
{
    /// <summary>The start page: every workspace with its coverage and the pages the user may open.</summary>
    public static IServiceCollection AddWorkspacesFeature(this IServiceCollection services) =>
        services.AddLocalization().AddSingleton<WorkspaceOverviewService>();
}
