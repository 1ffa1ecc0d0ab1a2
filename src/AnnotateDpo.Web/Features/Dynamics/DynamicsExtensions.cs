namespace AnnotateDpo.Web.Features.Dynamics;

public static class DynamicsExtensions
{
    public static IServiceCollection AddDynamicsFeature(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddOptions<DynamicsOptions>().BindConfiguration(DynamicsOptions.SectionName);
        services.AddSingleton<RunDynamicsService>();
        return services;
    }
}
