using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AnnotateDpo.Core.Accounts;
using AnnotateDpo.Core.Import;
using AnnotateDpo.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AnnotateDpo.EndToEnd.Tests;

/// <summary>
/// The real app: its built executable under Kestrel on 127.0.0.1 and a free port, on a fresh SQLite file seeded with
/// the demo workspaces, driven by Debian's chromium through Playwright. Accounts are made on demand straight in the
/// database (the first-run fixture below leaves it without any), and each signed-in page has its own browser context.
/// </summary>
public class WebAppFixture : IAsyncLifetime
{
    public const string Password = "e2e-password-1";

    private readonly string _dataFolder = Directory.CreateTempSubdirectory("annotatedpo-e2e-").FullName;
    private readonly SemaphoreSlim _accountsGate = new(1, 1);
    private Process? _app;
    private IPlaywright? _playwright;
    private ServiceProvider? _services;

    public string DatabaseFile => Path.Combine(_dataFolder, "e2e.db");

    /// <summary>Where the app's training runs go, beside its database rather than in the checkout.</summary>
    public string RunsFolder => Path.Combine(_dataFolder, "runs");

    /// <summary>Core's services on the app's database file, for accounts and for checking what the app stored.</summary>
    public IServiceProvider Services => _services ??= AccountExtensions.BuildAccountServices(new AnnotateDbContextFactory(DatabaseTarget.Parse(DatabaseFile)));

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public string BaseUrl { get; } = $"http://127.0.0.1:{FreePort()}";

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var webOutput = Path.Combine(RepositoryRoot, "src", "AnnotateDpo.Web", "bin", BuildConfiguration, "net10.0");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(webOutput, "AnnotateDpo.Web.dll"), "--urls", BaseUrl])
        {
            WorkingDirectory = webOutput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Storage__Database"] = DatabaseFile;
        start.Environment["Training__RunsFolder"] = RunsFolder;
        // The trainer would run niced below the pages; on a shared, loaded test machine that starves it.
        start.Environment["Training__Niceness"] = "0";
        _app = Process.Start(start) ?? throw new InvalidOperationException("The web app did not start.");
        var log = new System.Text.StringBuilder();
        _app.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        _app.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        _app.BeginOutputReadLine();
        _app.BeginErrorReadLine();
        await WaitUntilServingAsync(log);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
    }

    /// <summary>A fresh browser context signed in as <paramref name="userName"/>, whose account is created with the role if missing.</summary>
    public async Task<IPage> NewSignedInPageAsync(string userName, string role = AppRoles.Annotator)
    {
        await _accountsGate.WaitAsync();
        try
        {
            var accounts = Services.GetRequiredService<AccountService>();
            if ((await accounts.ListAsync()).All(a => a.UserName != userName))
                await accounts.InviteAsync(userName, [role], Password);
        }
        finally
        {
            _accountsGate.Release();
        }
        var page = await NewPageAsync();
        await SignInAsync(page, userName, Password);
        return page;
    }

    /// <summary>A workspace of the test's own, imported through Core into the app's database, so its counts are the test's alone.</summary>
    public async Task ImportWorkspaceAsync(string workspace, params string[] jsonlLines)
    {
        var folder = Directory.CreateTempSubdirectory("annotatedpo-e2e-import-").FullName;
        try
        {
            var file = Path.Combine(folder, "pairs.jsonl");
            await File.WriteAllLinesAsync(file, jsonlLines);
            await new ImportService(Services.GetRequiredService<AnnotateDbContextFactory>()).ImportAsync(workspace, [file], new ImportOptions());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A page in a browser context of its own: its own cookies, so its own user.</summary>
    public async Task<IPage> NewPageAsync() => await (await Browser.NewContextAsync()).NewPageAsync();

    public async Task SignInAsync(IPage page, string userName, string password)
    {
        await page.GotoAsync($"{BaseUrl}/account/login");
        await page.GetByLabel("User name").FillAsync(userName);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        if (_services is not null) await _services.DisposeAsync();
        AnnotateDbContextFactory.ClearSqlitePools();
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (_app is { HasExited: false })
        {
            _app.Kill(entireProcessTree: true);
            await _app.WaitForExitAsync();
        }
        _app?.Dispose();
        Directory.Delete(_dataFolder, recursive: true);
    }

    private async Task WaitUntilServingAsync(System.Text.StringBuilder log)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (_app!.HasExited)
                throw new InvalidOperationException($"The web app exited with {_app.ExitCode}:\n{log}");
            try
            {
                using var response = await http.GetAsync(BaseUrl);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy to answer within the request timeout: ask again until the deadline.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The web app did not answer at {BaseUrl}:\n{log}");
    }

#if DEBUG
    internal const string BuildConfiguration = "Debug";
#else
    internal const string BuildConfiguration = "Release";
#endif

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AnnotateDpo.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("AnnotateDpo.sln not found above the test output.");
    }
}

[CollectionDefinition(Name)]
public sealed class WebAppCollection : ICollectionFixture<WebAppFixture>
{
    public const string Name = "web app";
}

/// <summary>An app of its own whose database has no account yet, for the first-run journey.</summary>
public sealed class FirstRunAppFixture : WebAppFixture;

[CollectionDefinition(Name)]
public sealed class FirstRunCollection : ICollectionFixture<FirstRunAppFixture>
{
    public const string Name = "first run";
}
