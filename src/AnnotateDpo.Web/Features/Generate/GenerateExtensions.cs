using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AnnotateDpo.Web.Features.Generate;

public static class GenerateExtensions
{
    /// <summary>The on-policy generation page and the CLI jobs it (and the evaluation pages) start.</summary>
    public static IServiceCollection AddGenerateFeature(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddOptions<CliJobOptions>().BindConfiguration(CliJobOptions.SectionName);
        services.TryAddSingleton<CliJobs>();
        services.AddSingleton<GenerateService>();
        return services;
    }
}
