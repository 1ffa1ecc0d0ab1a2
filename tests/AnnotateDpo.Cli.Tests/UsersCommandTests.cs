using System.Text.RegularExpressions;

namespace AnnotateDpo.Cli.Tests;

public sealed partial class UsersCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("annotatedpo-cli-users-").FullName;

    private string Db => Path.Combine(_folder, "users.db");

    [Fact]
    public async Task AddListResetUnlock_OnOneDatabase_ManageTheSameAccounts()
    {
        var added = await CliRunner.RunAsync("users", "add", "tanaka", "--role", "Annotator", "Manager", "--db", Db);
        var listed = await CliRunner.RunAsync("users", "list", "--db", Db);
        var reset = await CliRunner.RunAsync("users", "reset-password", "tanaka", "--db", Db);
        var unlocked = await CliRunner.RunAsync("users", "unlock", "tanaka", "--db", Db);

        Assert.Equal(0, added.ExitCode);
        Assert.Matches(OneTimePassword(), added.StdOut);
        Assert.Matches(@"tanaka\s+Annotator,Manager\s+one-time password", listed.StdOut);
        Assert.Matches(OneTimePassword(), reset.StdOut);
        Assert.NotEqual(OneTimePassword().Match(added.StdOut).Value, OneTimePassword().Match(reset.StdOut).Value);
        Assert.Equal(0, unlocked.ExitCode);
    }

    [Fact]
    public async Task Add_UnknownRoleOrTakenName_ExitsTwoNamingTheField()
    {
        await CliRunner.RunAsync("users", "add", "tanaka", "--db", Db);

        var role = await CliRunner.RunAsync("users", "add", "sato", "--role", "Boss", "--db", Db);
        var taken = await CliRunner.RunAsync("users", "add", "tanaka", "--db", Db);

        Assert.Equal(2, role.ExitCode);
        Assert.Contains("roles: 'Boss' is not a role", role.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, taken.ExitCode);
        Assert.Contains("user name: 'tanaka' is taken", taken.StdErr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [GeneratedRegex("[a-z2-9]{4}(-[a-z2-9]{4}){3}")]
    private static partial Regex OneTimePassword();
}
