using System.CommandLine;
using AnnotateDpo.Core.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace AnnotateDpo.Cli.Commands;

/// <summary>The admin's account work without the browser, e.g. to let an admin back in who locked themself out.</summary>
internal static class UsersCommand
{
    public static Command Create()
    {
        var command = new Command("users", "List, invite, unlock and reset the web app's accounts.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Add());
        command.Subcommands.Add(ResetPassword());
        command.Subcommands.Add(Unlock());
        return command;
    }

    private static Command List()
    {
        var db = CliSupport.DatabaseOption();
        var command = new Command("list", "Every account with its roles and state.") { db };
        command.SetAction((parse, ct) => WithAccountsAsync(parse.GetValue(db)!, ct, async accounts =>
        {
            foreach (var a in await accounts.ListAsync(ct))
            {
                var state = (a.LockedUntil is { } until ? $" locked until {until:u}" : "") + (a.MustChangePassword ? " one-time password" : "");
                Console.WriteLine($"{a.UserName,-24} {string.Join(",", a.Roles),-28}{state}");
            }
        }));
        return command;
    }

    private static Command Add()
    {
        var db = CliSupport.DatabaseOption();
        var name = new Argument<string>("name") { Description = "The user name, which is also the annotator id." };
        var roles = new Option<string[]>("--role")
        {
            Description = $"A role to give ({string.Join(", ", AppRoles.All)}); repeat for several. Default: {AppRoles.Annotator}.",
            DefaultValueFactory = _ => [AppRoles.Annotator],
            AllowMultipleArgumentsPerToken = true,
        };
        var password = new Option<string?>("--password") { Description = "The password; without it a one-time password is printed." };
        var command = new Command("add", "Create an account, like the admin's invitation in the web app.") { db, name, roles, password };
        command.SetAction((parse, ct) => WithAccountsAsync(parse.GetValue(db)!, ct, async accounts =>
        {
            var created = await accounts.InviteAsync(parse.GetValue(name)!, parse.GetValue(roles)!, parse.GetValue(password), ct);
            Console.WriteLine(created.MustChangePassword
                ? $"created {created.UserName} ({string.Join(", ", created.Roles)}); one-time password: {created.Password}"
                : $"created {created.UserName} ({string.Join(", ", created.Roles)})");
        }));
        return command;
    }

    private static Command ResetPassword()
    {
        var db = CliSupport.DatabaseOption();
        var name = new Argument<string>("name");
        var command = new Command("reset-password", "Unlock the account and print a new one-time password.") { db, name };
        command.SetAction((parse, ct) => WithAccountsAsync(parse.GetValue(db)!, ct, async accounts =>
            Console.WriteLine($"one-time password for {parse.GetValue(name)}: {await accounts.ResetPasswordAsync(parse.GetValue(name)!, ct)}")));
        return command;
    }

    private static Command Unlock()
    {
        var db = CliSupport.DatabaseOption();
        var name = new Argument<string>("name");
        var command = new Command("unlock", "End a lockout after failed sign-ins.") { db, name };
        command.SetAction((parse, ct) => WithAccountsAsync(parse.GetValue(db)!, ct, async accounts =>
        {
            await accounts.UnlockAsync(parse.GetValue(name)!, ct);
            Console.WriteLine($"unlocked {parse.GetValue(name)}");
        }));
        return command;
    }

    private static Task<int> WithAccountsAsync(string db, CancellationToken ct, Func<AccountService, Task> body) => CliSupport.RunAsync(async () =>
    {
        var factory = await CliSupport.OpenDatabaseAsync(db, ct);
        await using var provider = AccountExtensions.BuildAccountServices(factory);
        await body(provider.GetRequiredService<AccountService>());
        return ExitCodes.Success;
    });
}
