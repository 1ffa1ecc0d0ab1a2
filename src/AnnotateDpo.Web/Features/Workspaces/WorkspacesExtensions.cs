namespace AnnotateDpo.Web.Features.Workspaces;

public static class WorkspacesExtensions
{
    /// <summary>The overview's links are labelled in the linked features' languages, hence localization.</summary>
    public static IServiceCollection AddWorkspacesFeature(this IServiceCollection services) =>
        services.AddLocalization().AddSingleton<WorkspaceOverviewService>();
}
