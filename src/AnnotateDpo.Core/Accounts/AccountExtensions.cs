using AnnotateDpo.Core.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AnnotateDpo.Core.Accounts;

public static class AccountExtensions
{
    /// <summary>
    /// Identity's user and role stores on the curation store, with the password and lockout rules of the
    /// <c>Accounts</c> section. The web app adds sign-in on top of the returned builder.
    /// </summary>
    public static IdentityBuilder AddAnnotateAccounts(this IServiceCollection services)
    {
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped(sp => sp.GetRequiredService<AnnotateDbContextFactory>().CreateDbContext());
        services.AddOptions<IdentityOptions>().Configure<IOptions<AccountOptions>>((identity, accounts) =>
        {
            // Length over character classes: long passphrases are stronger and easier for people to keep (NIST SP 800-63B).
            identity.Password.RequiredLength = accounts.Value.MinimumPasswordLength;
            identity.Password.RequireDigit = false;
            identity.Password.RequireLowercase = false;
            identity.Password.RequireUppercase = false;
            identity.Password.RequireNonAlphanumeric = false;
            identity.Lockout.AllowedForNewUsers = true;
            identity.Lockout.MaxFailedAccessAttempts = accounts.Value.MaxFailedSignIns;
            identity.Lockout.DefaultLockoutTimeSpan = accounts.Value.LockoutDuration;
            identity.User.RequireUniqueEmail = false;
        });
        services.AddSingleton<AccountService>();
        return services.AddIdentityCore<AppUser>()
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AnnotateDbContext>();
    }

    /// <summary>
    /// The account services alone, on one database, with the default rules: for the CLI and for tests that manage
    /// accounts outside the web app.
    /// </summary>
    public static ServiceProvider BuildAccountServices(AnnotateDbContextFactory database)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(database);
        services.AddAnnotateAccounts();
        return services.BuildServiceProvider();
    }
}
