namespace AnnotateDpo.Web.Features.Evaluate;

public static class EvaluateExtensions
{
    /// <summary>The evaluation pages; they start answer generation through the Generate feature's CLI jobs.</summary>
    public static IServiceCollection AddEvaluateFeature(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddSingleton<EvaluationJobs>();
        return services;
    }
}
