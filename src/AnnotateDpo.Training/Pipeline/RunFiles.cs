namespace AnnotateDpo.Training.Pipeline;

/// <summary>Names in a run folder that other processes (the web service, <c>annotatedpo runs</c>) rely on.</summary>
public static class RunFiles
{
    /// <summary>An empty file whose presence asks the run to stop at its next step boundary.</summary>
    public const string CancelFileName = "cancel";

    public const string CheckpointsFolderName = "checkpoints";

    public const string ReportFileName = "report.html";

    public static string CheckpointsFolder(string runFolder) => Path.Combine(runFolder, CheckpointsFolderName);

    /// <summary>Asks the run in <paramref name="runFolder"/> to stop; it notices within a fraction of a second.</summary>
    public static void RequestCancel(string runFolder) => File.WriteAllText(Path.Combine(runFolder, CancelFileName), "");
}

/// <summary>
/// A token cancelled when <paramref name="outer"/> is, or when the run folder's cancel file appears: polled on a timer,
/// so a request is seen within <see cref="PollInterval"/> however long a step takes, and the trainer stops at the next
/// step boundary.
/// </summary>
internal sealed class CancelFileWatch : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly CancellationTokenSource source;
    private readonly Timer timer;

    public CancelFileWatch(string runFolder, CancellationToken outer)
    {
        source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        var path = Path.Combine(runFolder, RunFiles.CancelFileName);
        timer = new Timer(_ =>
        {
            if (File.Exists(path))
                source.Cancel();
        }, null, TimeSpan.Zero, PollInterval);
    }

    public CancellationToken Token => source.Token;

    public void Dispose()
    {
        // Waits for a poll in flight, which could otherwise cancel a disposed source.
        using (var stopped = new ManualResetEvent(false))
        {
            if (timer.Dispose(stopped))
                stopped.WaitOne();
        }
        source.Dispose();
    }
}
