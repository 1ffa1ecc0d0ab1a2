using AnnotateDpo.Core.Curation;

namespace AnnotateDpo.Web.Features.Annotate;

public static class AnnotateExtensions
{
    public static IServiceCollection AddAnnotateFeature(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddSingleton<JudgmentQueue>();
        services.AddSingleton<PairRewriter>();
        services.AddSingleton<JudgingSettingsService>();
        return services;
    }
}
