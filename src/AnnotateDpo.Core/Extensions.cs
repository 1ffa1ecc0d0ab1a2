using AnnotateDpo.Core.Accounts;
using AnnotateDpo.Core.Browse;
using AnnotateDpo.Core.Evaluation;
using AnnotateDpo.Core.Export;
using AnnotateDpo.Core.Import;
using AnnotateDpo.Core.Seeding;
using AnnotateDpo.Core.Snapshots;
using AnnotateDpo.Core.Statistics;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Core.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AnnotateDpo.Core;

public static class Extensions
{
    /// <summary>Registers the curation store and the services over it, configured from the <c>Storage</c> section.</summary>
    public static IServiceCollection AddAnnotateCore(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName);
        services.AddSingleton(sp => new AnnotateDbContextFactory(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ResolveTarget()));
        services.AddSingleton<IDbContextFactory<AnnotateDbContext>>(sp => sp.GetRequiredService<AnnotateDbContextFactory>());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SnapshotService>();
        services.AddSingleton<TrainingRunQueue>();
        services.AddSingleton<WorkspaceStatsService>();
        services.AddSingleton<QualityReportService>();
        services.AddSingleton<AnnotatorReportService>();
        services.AddSingleton<ProgressStatsService>();
        services.AddSingleton<CoverageReportService>();
        services.AddOptions<ReadinessOptions>().BindConfiguration(ReadinessOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ImportService>();
        services.AddSingleton<ExportService>();
        services.AddSingleton<DemoSeeder>();
        services.AddSingleton<BrowseService>();
        services.AddSingleton<BrowseExporter>();
        services.AddSingleton<OnPolicyPairService>();
        services.AddSingleton<EvaluationService>();
        services.AddAnnotateAccounts();
        return services;
    }
}
