using AnnotateDpo.Web.Features.Training;

namespace AnnotateDpo.Web.Features.Dynamics;

public static class DynamicsExtensions
{
    public static IServiceCollection AddDynamicsFeature(this IServiceCollection services)
    {
        services.AddLocalization();
        // The run folders are the training feature's; binding its options again is idempotent.
        services.AddOptions<TrainingOptions>().BindConfiguration(TrainingOptions.SectionName);
        services.AddSingleton<RunDynamicsService>();
        return services;
    }
}
