using System.Collections.Concurrent;

namespace AnnotateDpo.Web.Features.Training;

/// <summary>The run the worker is training, as its files said at the last poll.</summary>
public sealed record LiveRun(long RunId, RunFileStatus? Status, IReadOnlyList<MetricPoint> Metrics);

/// <summary>
/// What pages and the worker share in memory: the live run, the cancel requests the worker passes on to the trainer,
/// and a signal that wakes the worker when a run is queued. Changed fires on the worker's thread.
/// </summary>
public sealed class TrainingMonitor
{
    private readonly ConcurrentDictionary<long, bool> cancelRequests = new();
    private readonly SemaphoreSlim wake = new(0);
    private volatile LiveRun? current;

    public LiveRun? Current => current;

    /// <summary>The live run, a run's state or the queue changed.</summary>
    public event Action? Changed;

    internal void Publish(LiveRun? run)
    {
        current = run;
        Changed?.Invoke();
    }

    internal void NotifyChanged() => Changed?.Invoke();

    internal void RequestCancel(long runId) => cancelRequests[runId] = true;

    internal bool IsCancelRequested(long runId) => cancelRequests.ContainsKey(runId);

    internal void ForgetCancel(long runId) => cancelRequests.TryRemove(runId, out _);

    /// <summary>Tells the worker that a run was queued.</summary>
    internal void Wake()
    {
        if (wake.CurrentCount == 0)
            wake.Release();
    }

    /// <summary>Waits until <see cref="Wake"/> or <paramref name="timeout"/>, whichever comes first.</summary>
    internal Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken) => wake.WaitAsync(timeout, cancellationToken);
}
