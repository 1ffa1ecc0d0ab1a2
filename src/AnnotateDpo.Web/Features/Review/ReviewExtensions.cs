using AnnotateDpo.Core.Authoring;
using AnnotateDpo.Core.Curation;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AnnotateDpo.Web.Features.Review;

public static class ReviewExtensions
{
    public static IServiceCollection AddReviewFeature(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddSingleton<SftReviewService>();
        services.TryAddSingleton<DisagreementService>();
        services.TryAddSingleton<PairReviewService>();
        return services;
    }
}
