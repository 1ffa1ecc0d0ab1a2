using System.Collections.Concurrent;
using System.Diagnostics;
using AnnotateDpo.Core.Evaluation;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Web.Hosting;

namespace AnnotateDpo.Web.Features.Generate;

public enum CliJobState { Running, Succeeded, Failed, Cancelled }

/// <summary>
/// One run of the CLI in a child process: what it does, who started it, how far it is (the progress file the CLI
/// rewrites), and how it ended. The CLI writes its results in one transaction at the end, so cancelling — killing the
/// process — leaves nothing half-written.
/// </summary>
public sealed class CliJob
{
    private const int KeptLines = 40;
    private readonly Process _process;
    private readonly string _progressFile;
    private readonly Queue<string> _output = new();
    private volatile bool _cancelled;

    internal CliJob(string id, string workspace, string kind, string description, string startedBy, DateTime startedAt, Process process, string progressFile)
    {
        Id = id;
        Workspace = workspace;
        Kind = kind;
        Description = description;
        StartedBy = startedBy;
        StartedAt = startedAt;
        _process = process;
        _progressFile = progressFile;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        Completion = WatchAsync();
    }

    public string Id { get; }
    public string Workspace { get; }
    /// <summary>What kind of work, e.g. "candidates" or "evaluation 3"; pages find their jobs by it.</summary>
    public string Kind { get; }
    public string Description { get; }
    public string StartedBy { get; }
    public DateTime StartedAt { get; }
    public CliJobState State { get; private set; } = CliJobState.Running;
    public int? ExitCode { get; private set; }

    /// <summary>Completes when the process has exited and the state is final.</summary>
    public Task Completion { get; }

    public JobProgress? Progress => JobProgress.TryRead(_progressFile);

    /// <summary>The last lines the CLI printed (stdout and stderr), for the summary or the error.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_output) return _output.ToList();
        }
    }

    /// <summary>Stops the child process and everything it started.</summary>
    public void Cancel()
    {
        if (State != CliJobState.Running) return;
        _cancelled = true;
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own in the meantime.
        }
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > KeptLines) _output.Dequeue();
        }
    }

    private async Task WatchAsync()
    {
        await _process.WaitForExitAsync();
        // The exit event can come before the last redirected lines; waiting again drains them.
        _process.WaitForExit();
        ExitCode = _process.ExitCode;
        State = _cancelled ? CliJobState.Cancelled : _process.ExitCode == 0 ? CliJobState.Succeeded : CliJobState.Failed;
        _process.Dispose();
    }
}

/// <summary>Starts CLI jobs for the pages and keeps them while the app runs, so a page opened later finds them.</summary>
public sealed class CliJobs(CliLauncher cli, AnnotateDbContextFactory database, TimeProvider time, ILogger<CliJobs> logger)
{
    private readonly ConcurrentDictionary<string, CliJob> _jobs = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("annotatedpo-jobs-").FullName;

    /// <summary>
    /// Runs <c>annotatedpo <paramref name="arguments"/> --db DB --progress FILE</c> on the app's own database.
    /// </summary>
    /// <exception cref="InvalidOperationException">The workspace already has a job of this kind running, or the CLI cannot be found.</exception>
    public CliJob Start(string workspace, string kind, string description, string startedBy, IReadOnlyList<string> arguments)
    {
        if (Running(workspace, kind) is not null)
            throw new InvalidOperationException($"A {kind} job for '{workspace}' is already running; cancel it or wait for it to finish.");
        var id = Guid.NewGuid().ToString("N")[..12];
        var progressFile = Path.Combine(_folder, id + ".json");
        if (cli.Problem is { } problem)
            throw new InvalidOperationException(problem);
        var start = cli.StartInfo([.. arguments, "--db", database.Target.SqliteFile ?? database.Target.ConnectionString, "--progress", progressFile]);
        var process = Process.Start(start) ?? throw new InvalidOperationException("The CLI process did not start.");
        var job = new CliJob(id, workspace, kind, description, startedBy, time.GetUtcNow().UtcDateTime, process, progressFile);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _jobs[id] = job;
        logger.LogInformation("Started {Kind} job {Id} for {Workspace} by {User}: {Description}", kind, id, workspace, startedBy, description);
        return job;
    }

    public CliJob? Find(string id) => _jobs.GetValueOrDefault(id);

    /// <summary>The workspace's running job of this kind, if any.</summary>
    public CliJob? Running(string workspace, string kind) =>
        _jobs.Values.FirstOrDefault(j => j.Workspace == workspace && j.Kind == kind && j.State == CliJobState.Running);

    /// <summary>The workspace's latest job of this kind, running or not.</summary>
    public CliJob? Latest(string workspace, string kind) =>
        _jobs.Values.Where(j => j.Workspace == workspace && j.Kind == kind).MaxBy(j => j.StartedAt);

    /// <summary>A folder of its own under the system temporary folder for the files a job reads (a pasted prompt list).</summary>
    public string WorkFolder => _folder;
}
