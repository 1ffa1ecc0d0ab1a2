using System.Security.Claims;
using AnnotateDpo.Core.Accounts;
using AnnotateDpo.Core.Browse;
using AnnotateDpo.Core.Curation;
using Microsoft.AspNetCore.Authorization;

namespace AnnotateDpo.Web.Features.Browse;

public static class BrowseFeatureExtensions
{
    /// <summary>The page's services (BrowseService, BrowseExporter) come with Core; this adds the page's texts.</summary>
    public static IServiceCollection AddBrowseFeature(this IServiceCollection services) => services.AddLocalization();

    /// <summary>
    /// <c>GET /browse/{workspace}/export?kind=…&amp;format=…&amp;…filters</c>: the page's filtered view as a streamed download,
    /// for the same roles as the page and with the same viewer rules (annotators get their own judgments only).
    /// </summary>
    public static IEndpointRouteBuilder MapBrowseEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/browse/{workspace}/export", async (string workspace, HttpContext context, BrowseExporter exporter, CancellationToken cancellationToken) =>
        {
            BrowseExport export;
            try
            {
                var (kind, format, filter) = BrowseQueryString.Parse(context.Request.Query.ToDictionary());
                export = await exporter.PrepareAsync(workspace, kind, filter, ViewerOf(context.User), format, cancellationToken);
            }
            catch (WorkspaceNotFoundException e)
            {
                return Results.NotFound(e.Message);
            }
            catch (ArgumentException e)
            {
                return Results.BadRequest(e.Message);
            }
            return Results.Stream(async stream => await export.WriteToAsync(stream, cancellationToken), export.ContentType, export.FileName);
        }).RequireAuthorization(new AuthorizeAttribute { Roles = AppRoles.Annotating });
        return endpoints;
    }

    /// <summary>The signed-in user as the browse queries see them: the user name is the annotator id.</summary>
    public static BrowseViewer ViewerOf(ClaimsPrincipal user) =>
        new(user.Identity?.Name ?? throw new InvalidOperationException("An authorised user has a name."), user.IsInRole(AppRoles.Manager));
}
