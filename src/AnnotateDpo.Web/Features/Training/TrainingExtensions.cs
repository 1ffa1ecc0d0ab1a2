using System.Security.Claims;
using AnnotateDpo.Core.Accounts;
using AnnotateDpo.Web.Hosting;

namespace AnnotateDpo.Web.Features.Training;

public static class TrainingExtensions
{
    /// <summary>The training page's services and the background worker that trains the queued runs.</summary>
    public static IServiceCollection AddTrainingFeature(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddOptions<TrainingOptions>().BindConfiguration(TrainingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddCliLauncher();
        services.AddSingleton<TrainingMonitor>();
        services.AddSingleton<TrainingService>();
        services.AddHostedService<TrainingWorker>();
        return services;
    }

    /// <summary>
    /// Downloads for managers: a stage's model folder as a zip written straight to the response (no temporary file,
    /// however large the model), and the run's report.html.
    /// </summary>
    public static IEndpointRouteBuilder MapTrainingEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var runs = endpoints.MapGroup("/training/runs/{runId:long}").RequireAuthorization(policy => policy.RequireRole(AppRoles.Managing));
        runs.MapGet("/model/{stage}.zip", async (long runId, string stage, ClaimsPrincipal user, TrainingService training, CancellationToken cancellationToken) =>
        {
            var run = await training.GetAsync(user, runId, cancellationToken);
            if (TrainingService.ModelFolder(run, stage) is not { } folder)
                return Results.NotFound($"Run {runId} has no saved {stage} model.");
            return Results.Stream(body => ModelZip.WriteAsync(folder, body, cancellationToken), "application/zip", $"{run.RunKey}-{stage}.zip");
        });
        runs.MapGet("/report.html", async (long runId, ClaimsPrincipal user, TrainingService training, CancellationToken cancellationToken) =>
        {
            var run = await training.GetAsync(user, runId, cancellationToken);
            return TrainingService.ReportFile(run) is { } report
                ? Results.File(report, "text/html; charset=utf-8")
                : Results.NotFound($"Run {runId} has no report yet.");
        });
        return endpoints;
    }
}
