using AnnotateDpo.Core.Authoring;
using AnnotateDpo.Core.Curation;

namespace AnnotateDpo.Web.Features.Review;

public static class ReviewExtensions
{
    public static IServiceCollection AddReviewFeature(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddSingleton<SftReviewService>();
        services.AddSingleton<DisagreementService>();
        return services;
    }
}
