using AnnotateDpo.Web.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AnnotateDpo.Web.Features.Generate;

public static class GenerateExtensions
{
    /// <summary>The on-policy generation page and the CLI jobs it (and the evaluation pages) start.</summary>
    public static IServiceCollection AddGenerateFeature(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddCliLauncher();
        services.TryAddSingleton<CliJobs>();
        services.AddSingleton<GenerateService>();
        return services;
    }
}
