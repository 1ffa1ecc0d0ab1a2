using AnnotateDpo.Core.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace AnnotateDpo.Web.Features.Account;

public static class AccountFeatureExtensions
{
    public const string LoginPath = "/account/login";
    public const string SetupPath = "/setup";

    /// <summary>
    /// Cookie sign-in over the Core account store. Every endpoint requires a signed-in user unless it says otherwise
    /// (the fallback policy), and pages name the roles they admit, so the server refuses what the menu would hide.
    /// </summary>
    public static IServiceCollection AddAccountFeature(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddCascadingAuthenticationState();
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.AddIdentityCore<AppUser>().AddSignInManager();
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = LoginPath;
            cookie.AccessDeniedPath = "/account/denied";
            cookie.SlidingExpiration = true;
            cookie.ExpireTimeSpan = TimeSpan.FromDays(14);
        });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return services;
    }

    /// <summary>Until the first account exists, every page request goes to the one-time setup page.</summary>
    public static IApplicationBuilder UseFirstRunSetup(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            var isPage = !Path.HasExtension(path.Value) && !path.StartsWithSegments("/_blazor") && !path.StartsWithSegments("/_framework");
            if (isPage && !path.StartsWithSegments(SetupPath)
                && !await context.RequestServices.GetRequiredService<AccountService>().HasUsersAsync(context.RequestAborted))
            {
                context.Response.Redirect(SetupPath);
                return;
            }
            await next();
        });

    /// <summary>Sign-out is a POST with an antiforgery token, so no link or image elsewhere can sign a user out.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(IdentityConstants.ApplicationScheme);
            return Results.LocalRedirect("~" + LoginPath);
        });
        return endpoints;
    }
}
