namespace AnnotateDpo.Web.Features.Workspaces;

public static class WorkspacesExtensions
{
    public static IServiceCollection AddWorkspacesFeature(this IServiceCollection services) =>
        services.AddSingleton<WorkspaceOverviewService>();
}
