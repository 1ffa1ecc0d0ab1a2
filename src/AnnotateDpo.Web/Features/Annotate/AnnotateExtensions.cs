using AnnotateDpo.Core.Curation;

namespace AnnotateDpo.Web.Features.Annotate;

public static class AnnotateExtensions
{
    public static IServiceCollection AddAnnotateFeature(this IServiceCollection services) =>
        services.AddSingleton<JudgmentQueue>();
}
