using AnnotateDpo.Core.Accounts;
using AnnotateDpo.Core.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AnnotateDpo.Core.Tests.Accounts;

public sealed class AccountServiceTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task CreateFirstAdmin_SecondTime_IsRefusedAndTheFirstAdminHoldsAdminAndManager(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var services = AccountExtensions.BuildAccountServices(database.Factory);
        var accounts = services.GetRequiredService<AccountService>();
        Assert.False(await accounts.HasUsersAsync());

        await accounts.CreateFirstAdminAsync("root", "a-long-password");
        var second = await Assert.ThrowsAsync<AccountException>(() => accounts.CreateFirstAdminAsync("intruder", "a-long-password"));

        Assert.Contains("already done", second.Message, StringComparison.Ordinal);
        var only = Assert.Single(await accounts.ListAsync());
        Assert.Equal("root", only.UserName);
        Assert.Equal([AppRoles.Manager, AppRoles.Admin], only.Roles);
    }

    [Fact]
    public async Task Invite_WithoutPassword_GeneratesOneThatSignsInAndMustBeChanged()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await using var services = AccountExtensions.BuildAccountServices(database.Factory);
        var accounts = services.GetRequiredService<AccountService>();

        var created = await accounts.InviteAsync("tanaka", [AppRoles.Annotator]);

        Assert.True(created.MustChangePassword);
        Assert.Matches("^[a-z2-9]{4}(-[a-z2-9]{4}){3}$", created.Password);
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByNameAsync("tanaka");
        Assert.True(await users.CheckPasswordAsync(user!, created.Password));
        Assert.True((await accounts.ListAsync()).Single().MustChangePassword);
    }

    [Fact]
    public async Task Invite_BadRoleTakenNameOrShortPassword_SaysWhichFieldAndCreatesNothing()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await using var services = AccountExtensions.BuildAccountServices(database.Factory);
        var accounts = services.GetRequiredService<AccountService>();
        await accounts.InviteAsync("tanaka", [AppRoles.Annotator], "a-long-password");

        var role = await Assert.ThrowsAsync<AccountException>(() => accounts.InviteAsync("sato", ["Boss"]));
        var taken = await Assert.ThrowsAsync<AccountException>(() => accounts.InviteAsync("tanaka", [AppRoles.Manager]));
        var weak = await Assert.ThrowsAsync<AccountException>(() => accounts.InviteAsync("sato", [AppRoles.Manager], "short"));

        Assert.StartsWith("roles: 'Boss' is not a role", role.Message, StringComparison.Ordinal);
        Assert.StartsWith("user name: 'tanaka' is taken", taken.Message, StringComparison.Ordinal);
        Assert.StartsWith("password:", weak.Message, StringComparison.Ordinal);
        Assert.Equal(["tanaka"], (await accounts.ListAsync()).Select(a => a.UserName));
    }

    [Fact]
    public async Task SetPassword_RejectedByTheRules_LeavesTheOldPasswordWorking()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await using var services = AccountExtensions.BuildAccountServices(database.Factory);
        var accounts = services.GetRequiredService<AccountService>();
        await accounts.InviteAsync("tanaka", [AppRoles.Annotator], "a-long-password");

        await Assert.ThrowsAsync<AccountException>(() => accounts.SetPasswordAsync("tanaka", "short", mustChange: false));

        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Assert.True(await users.CheckPasswordAsync((await users.FindByNameAsync("tanaka"))!, "a-long-password"));
    }

    [Fact]
    public async Task SetRoles_LastAdminDroppingAdmin_IsRefused()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await using var services = AccountExtensions.BuildAccountServices(database.Factory);
        var accounts = services.GetRequiredService<AccountService>();
        await accounts.CreateFirstAdminAsync("root", "a-long-password");

        var refused = await Assert.ThrowsAsync<AccountException>(() => accounts.SetRolesAsync("root", [AppRoles.Manager]));
        await accounts.InviteAsync("second", [AppRoles.Admin], "a-long-password");
        await accounts.SetRolesAsync("root", [AppRoles.Manager]);

        Assert.Contains("only Admin", refused.Message, StringComparison.Ordinal);
        Assert.Equal([AppRoles.Manager], (await accounts.ListAsync()).Single(a => a.UserName == "root").Roles);
    }
}
