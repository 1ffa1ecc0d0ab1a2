namespace AnnotateDpo.Web.Features.Ablation;

public static class AblationExtensions
{
    /// <summary>The comparison page of "does SFT first pay off?"; it reads runs through the training and dynamics features.</summary>
    public static IServiceCollection AddAblationFeature(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddSingleton<AblationService>();
        return services;
    }
}
