using AnnotateDpo.Core.Curation;
using AnnotateDpo.Web.Features.Generate;
using AnnotateDpo.Web.Features.Training;
using AnnotateDpo.Web.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AnnotateDpo.Web.Features.Dynamics;

public static class DynamicsExtensions
{
    public static IServiceCollection AddDynamicsFeature(this IServiceCollection services)
    {
        services.AddLocalization();
        // The run folders are the training feature's; binding its options again is idempotent.
        services.AddOptions<TrainingOptions>().BindConfiguration(TrainingOptions.SectionName);
        services.AddSingleton<RunDynamicsService>();
        // A flagged pair opens with its verdicts and goes to the review queue; the review feature shares these.
        services.TryAddSingleton<DisagreementService>();
        services.TryAddSingleton<PairReviewService>();
        // The train split is diagnosed by the CLI in a child process, as the generate feature runs its jobs.
        services.AddCliLauncher();
        services.TryAddSingleton<CliJobs>();
        return services;
    }
}
