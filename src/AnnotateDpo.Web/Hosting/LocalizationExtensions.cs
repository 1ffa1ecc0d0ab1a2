using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace AnnotateDpo.Web.Hosting;

/// <summary>
/// English and Japanese. The language comes from the culture cookie the app bar's switch sets, else from the
/// browser's Accept-Language; Blazor's circuit keeps the culture of the request that opened it.
/// </summary>
public static class LocalizationExtensions
{
    public static IReadOnlyList<CultureInfo> SupportedCultures { get; } = [new("en"), new("ja")];

    public static IServiceCollection AddAppLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture("en");
            options.SupportedCultures = [.. SupportedCultures];
            options.SupportedUICultures = [.. SupportedCultures];
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
        });
        return services;
    }

    /// <summary><c>/culture/{name}?redirectUri=…</c> remembers the choice for a year and goes back to the page.</summary>
    public static IEndpointRouteBuilder MapCultureSwitch(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/culture/{name}", (string name, string? redirectUri, HttpContext context) =>
        {
            if (!SupportedCultures.Any(c => c.Name == name))
                return Results.BadRequest($"culture: '{name}' is not offered; choose one of {string.Join(", ", SupportedCultures.Select(c => c.Name))}.");
            context.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(name)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
            return Results.LocalRedirect(Features.Account.LocalPath.OrRoot(redirectUri));
        }).AllowAnonymous();
        return endpoints;
    }
}
