using AnnotateDpo.Core.Training;

namespace AnnotateDpo.Core.Tests.Training;

public class TrainingRunTests
{
    private static readonly DateTime Now = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);

    private static TrainingRun NewRun() => new() { Id = 7, Preset = "demo", SettingsJson = "{}", RequestedBy = "mika" };

    [Fact]
    public void Start_QueuedRun_IsRunningWithItsStartTime()
    {
        var run = NewRun();

        run.Start(Now);

        Assert.Equal((TrainingRunState.Running, Now), (run.State, run.StartedAt));
    }

    [Theory]
    [InlineData(TrainingRunState.Succeeded, null)]
    [InlineData(TrainingRunState.Cancelled, null)]
    [InlineData(TrainingRunState.Failed, "NaN loss at step 3")]
    public void Finish_RunningRun_EndsInTheOutcomeWithErrorOnlyWhenFailed(TrainingRunState outcome, string? error)
    {
        var run = NewRun();
        run.Start(Now);

        run.Finish(outcome, Now.AddMinutes(2), "NaN loss at step 3");

        Assert.Equal((outcome, Now.AddMinutes(2), error), (run.State, run.FinishedAt, run.Error));
        Assert.True(run.IsFinished);
    }

    [Fact]
    public void Finish_QueuedRun_IsRefusedNamingTheState()
    {
        var run = NewRun();

        var error = Assert.Throws<InvalidOperationException>(() => run.Finish(TrainingRunState.Succeeded, Now));

        Assert.Contains("run 7 is queued", error.Message);
    }

    [Fact]
    public void Finish_AsQueued_IsNotAnOutcome()
    {
        var run = NewRun();
        run.Start(Now);

        Assert.Throws<ArgumentOutOfRangeException>(() => run.Finish(TrainingRunState.Queued, Now));
    }

    [Fact]
    public void RequestCancel_QueuedRun_IsCancelledAtOnce()
    {
        var run = NewRun();

        var immediate = run.RequestCancel(Now);

        Assert.True(immediate);
        Assert.Equal(TrainingRunState.Cancelled, run.State);
    }

    [Fact]
    public void RequestCancel_RunningRun_IsFlaggedAndKeepsRunningUntilTheTrainerStops()
    {
        var run = NewRun();
        run.Start(Now);

        var immediate = run.RequestCancel(Now);

        Assert.False(immediate);
        Assert.Equal((TrainingRunState.Running, true, false), (run.State, run.CancelRequested, run.CanCancel));
        run.Finish(TrainingRunState.Cancelled, Now);
        Assert.False(run.CancelRequested);
    }

    [Fact]
    public void RequestCancel_SucceededRun_IsRefused()
    {
        var run = NewRun();
        run.Start(Now);
        run.Finish(TrainingRunState.Succeeded, Now);

        Assert.Throws<InvalidOperationException>(() => run.RequestCancel(Now));
    }

    [Fact]
    public void Interrupt_ThenResume_QueuesTheRunToContinueFromItsCheckpoint()
    {
        var run = NewRun();
        run.Start(Now);
        run.Interrupt(Now.AddMinutes(1), "app stopped");

        Assert.Equal((TrainingRunState.Interrupted, "app stopped", true), (run.State, run.Error, run.CanResume));
        run.QueueResume("sato");

        Assert.Equal((TrainingRunState.Queued, true, "sato", null), (run.State, run.ResumeRequested, run.RequestedBy, run.Error));
        run.Start(Now.AddMinutes(3));
        Assert.Equal(Now, run.StartedAt);
    }

    [Fact]
    public void QueueResume_SucceededRun_IsRefused()
    {
        var run = NewRun();
        run.Start(Now);
        run.Finish(TrainingRunState.Succeeded, Now);

        Assert.False(run.CanResume);
        Assert.Throws<InvalidOperationException>(() => run.QueueResume("sato"));
    }

    [Fact]
    public void Interrupt_QueuedRun_IsRefused()
    {
        var run = NewRun();

        Assert.Throws<InvalidOperationException>(() => run.Interrupt(Now, "app stopped"));
    }
}
