namespace AnnotateDpo.Web.Features.Coverage;

public static class CoverageExtensions
{
    public static IServiceCollection AddCoverageFeature(this IServiceCollection services) =>
        services.AddSingleton<CoverageService>();
}
