using AnnotateDpo.Core.Accounts;
using AnnotateDpo.Core.Seeding;
using AnnotateDpo.Core.Storage;

namespace AnnotateDpo.Web.Hosting;

/// <summary>The <c>DemoSeed</c> configuration section.</summary>
public sealed class DemoSeedOptions
{
    public const string SectionName = "DemoSeed";

    /// <summary>Load the demo workspaces from seed-data/ when the database has none. Default: true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The folder of <c>*.annotatedpo.jsonl</c> files. Default: seed-data/workspaces.</summary>
    public string Folder { get; set; } = Path.Combine(AppPaths.SeedDataFolder, "workspaces");
}

public static class DemoSeedingExtensions
{
    public static IServiceCollection AddDemoSeeding(this IServiceCollection services)
    {
        services.AddOptions<DemoSeedOptions>().BindConfiguration(DemoSeedOptions.SectionName);
        return services;
    }

    /// <summary>Creates or upgrades the schema and the roles, then seeds the demo workspaces into an empty database.</summary>
    public static async Task InitializeDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await services.GetRequiredService<AnnotateDbContextFactory>().MigrateAsync(cancellationToken);
        await services.GetRequiredService<AccountService>().EnsureRolesAsync(cancellationToken);
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DemoSeedOptions>>().Value;
        if (options.Enabled)
            await services.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(options.Folder, cancellationToken);
    }
}
