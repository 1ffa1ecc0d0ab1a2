using System.Security.Cryptography;
using AnnotateDpo.Core.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AnnotateDpo.Core.Accounts;

/// <summary>A request about accounts that cannot be carried out; the message says why, naming the field.</summary>
public sealed class AccountException(string message) : Exception(message);

public sealed record AccountSummary(string UserName, IReadOnlyList<string> Roles, bool MustChangePassword, DateTimeOffset? LockedUntil, DateTime CreatedAt);

/// <summary>An account just created, with the password to hand over; it is shown once and stored only hashed.</summary>
public sealed record CreatedAccount(string UserName, IReadOnlyList<string> Roles, string Password, bool MustChangePassword);

/// <summary>
/// Creates and changes accounts. Each call runs in its own service scope, so a long-lived caller (a Blazor circuit,
/// the CLI) never holds a stale DbContext.
/// </summary>
public sealed class AccountService(IServiceScopeFactory scopes, TimeProvider time)
{
    private static readonly SemaphoreSlim FirstAdminGate = new(1, 1);
    private volatile bool _hasUsers;

    /// <summary>Whether any account exists; once true, stays true for this process without asking the database.</summary>
    public async Task<bool> HasUsersAsync(CancellationToken cancellationToken = default)
    {
        if (_hasUsers) return true;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnotateDbContext>();
        return _hasUsers = await db.Users.AnyAsync(cancellationToken);
    }

    /// <summary>Creates the roles that do not exist yet.</summary>
    public async Task EnsureRolesAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in AppRoles.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!await roles.RoleExistsAsync(role))
                Check(await roles.CreateAsync(new IdentityRole(role)), "role");
        }
    }

    /// <summary>
    /// The one-time setup: creates the first account, an Admin who is also a Manager, and only while no account
    /// exists. Refuses afterwards, so the setup page cannot be replayed.
    /// </summary>
    public async Task<AccountSummary> CreateFirstAdminAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        await FirstAdminGate.WaitAsync(cancellationToken);
        try
        {
            if (await HasUsersAsync(cancellationToken))
                throw new AccountException("Setup is already done: an account exists. Sign in instead.");
            await EnsureRolesAsync(cancellationToken);
            var created = await CreateAsync(userName, [AppRoles.Admin, AppRoles.Manager], password, mustChangePassword: false);
            _hasUsers = true;
            return new AccountSummary(created.UserName, created.Roles, false, null, time.GetUtcNow().UtcDateTime);
        }
        finally
        {
            FirstAdminGate.Release();
        }
    }

    /// <summary>
    /// Creates an account with the given roles. Without a password, one is generated and must be changed at the first
    /// sign-in.
    /// </summary>
    public async Task<CreatedAccount> InviteAsync(string userName, IReadOnlyCollection<string> roles, string? password = null, CancellationToken cancellationToken = default)
    {
        if (roles.Count == 0) throw new AccountException("roles: choose at least one of " + string.Join(", ", AppRoles.All) + ".");
        foreach (var role in roles)
        {
            if (!AppRoles.All.Contains(role))
                throw new AccountException($"roles: '{role}' is not a role; the roles are {string.Join(", ", AppRoles.All)}.");
        }
        await EnsureRolesAsync(cancellationToken);
        var generated = string.IsNullOrEmpty(password);
        var created = await CreateAsync(userName, roles, generated ? GeneratePassword() : password!, mustChangePassword: generated);
        _hasUsers = true;
        return created;
    }

    public async Task<IReadOnlyList<AccountSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnotateDbContext>();
        var users = await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        var roleNames = await db.UserRoles.AsNoTracking()
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .ToListAsync(cancellationToken);
        var rolesByUser = roleNames.ToLookup(r => r.UserId, r => r.Name!);
        var now = time.GetUtcNow();
        return users.Select(u => new AccountSummary(
            u.UserName!,
            rolesByUser[u.Id].OrderBy(r => AppRoles.All.ToList().IndexOf(r)).ToList(),
            u.MustChangePassword,
            u.LockoutEnd > now ? u.LockoutEnd : null,
            u.CreatedAt)).ToList();
    }

    /// <summary>Sets a new password chosen by an admin (<paramref name="mustChange"/>) or by the user themself.</summary>
    public async Task SetPasswordAsync(string userName, string password, bool mustChange, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await FindAsync(users, userName);
        // Validated before anything changes, then stored in one update: a rejected password leaves the old one working.
        foreach (var validator in users.PasswordValidators)
            Check(await validator.ValidateAsync(users, user, password), "password");
        user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
        user.MustChangePassword = mustChange;
        user.SecurityStamp = Guid.NewGuid().ToString();
        Check(await users.UpdateAsync(user), "user");
    }

    /// <summary>Creates a fresh one-time password for a user who lost theirs, and unlocks the account.</summary>
    public async Task<string> ResetPasswordAsync(string userName, CancellationToken cancellationToken = default)
    {
        var password = GeneratePassword();
        await SetPasswordAsync(userName, password, mustChange: true, cancellationToken);
        await UnlockAsync(userName, cancellationToken);
        return password;
    }

    public async Task UnlockAsync(string userName, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await FindAsync(users, userName);
        Check(await users.SetLockoutEndDateAsync(user, null), "lockout");
        Check(await users.ResetAccessFailedCountAsync(user), "lockout");
    }

    /// <summary>Replaces a user's roles. The last Admin cannot lose the Admin role, so the app never ends up unmanageable.</summary>
    public async Task SetRolesAsync(string userName, IReadOnlyCollection<string> roles, CancellationToken cancellationToken = default)
    {
        if (roles.Count == 0) throw new AccountException("roles: choose at least one of " + string.Join(", ", AppRoles.All) + ".");
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await FindAsync(users, userName);
        var current = await users.GetRolesAsync(user);
        if (current.Contains(AppRoles.Admin) && !roles.Contains(AppRoles.Admin)
            && (await users.GetUsersInRoleAsync(AppRoles.Admin)).Count == 1)
            throw new AccountException($"roles: {userName} is the only Admin; make another user Admin first.");
        Check(await users.RemoveFromRolesAsync(user, current.Except(roles)), "roles");
        Check(await users.AddToRolesAsync(user, roles.Except(current)), "roles");
    }

    private async Task<CreatedAccount> CreateAsync(string userName, IReadOnlyCollection<string> roles, string password, bool mustChangePassword)
    {
        userName = userName.Trim();
        if (userName.Length == 0) throw new AccountException("user name: required.");
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByNameAsync(userName) is not null)
            throw new AccountException($"user name: '{userName}' is taken.");
        var user = new AppUser { UserName = userName, MustChangePassword = mustChangePassword, CreatedAt = time.GetUtcNow().UtcDateTime };
        Check(await users.CreateAsync(user, password), "password");
        Check(await users.AddToRolesAsync(user, roles), "roles");
        return new CreatedAccount(userName, roles.ToList(), password, mustChangePassword);
    }

    private static async Task<AppUser> FindAsync(UserManager<AppUser> users, string userName) =>
        await users.FindByNameAsync(userName) ?? throw new AccountException($"user name: no account is named '{userName}'.");

    private static void Check(IdentityResult result, string field)
    {
        if (!result.Succeeded)
            throw new AccountException($"{field}: " + string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    /// <summary>Four groups of four from an alphabet without look-alikes (no 0/o, 1/l), easy to read out and type.</summary>
    internal static string GeneratePassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
        var chars = RandomNumberGenerator.GetItems<char>(alphabet, 16);
        return string.Join('-', Enumerable.Range(0, 4).Select(i => new string(chars, i * 4, 4)));
    }
}
