using AnnotateDpo.Core.Authoring;

namespace AnnotateDpo.Web.Features.Sft;

public static class SftExtensions
{
    /// <summary>The SFT editor's services; the duplicate index is a singleton because it caches each workspace's shingles.</summary>
    public static IServiceCollection AddSftFeature(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddSingleton<SftAuthoringService>();
        services.AddSingleton<SftDuplicateIndex>();
        return services;
    }
}
