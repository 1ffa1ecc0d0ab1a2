using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;

namespace AnnotateDpo.EndToEnd.Tests;

/// <summary>
/// The real app: its built executable under Kestrel on 127.0.0.1 and a free port, on a fresh SQLite file seeded with
/// the demo workspaces, driven by Debian's chromium through Playwright.
/// </summary>
public sealed class WebAppFixture : IAsyncLifetime
{
    private readonly string _dataFolder = Directory.CreateTempSubdirectory("annotatedpo-e2e-").FullName;
    private Process? _app;
    private IPlaywright? _playwright;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public string BaseUrl { get; } = $"http://127.0.0.1:{FreePort()}";

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The app's SQLite file, for the CLI to read the same data as the pages.</summary>
    public string DatabaseFile => Path.Combine(_dataFolder, "e2e.db");

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

    public async Task DisposeAsync()
    {
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
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The web app did not answer at {BaseUrl}:\n{log}");
    }

#if DEBUG
    private const string BuildConfiguration = "Debug";
#else
    private const string BuildConfiguration = "Release";
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
