using System.Globalization;
using System.Text.Json;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Training.Diagnostics;
using AnnotateDpo.Web.Features.Generate;
using AnnotateDpo.Web.Features.Review;
using AnnotateDpo.Web.Features.Training;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;

namespace AnnotateDpo.Web.Features.Dynamics;

public partial class DynamicsPage
{
    /// <summary>The run's folder name under the runs folder, from the address.</summary>
    [Parameter] public string RunId { get; set; } = "";

    [Inject] private RunDynamicsService Dynamics { get; set; } = null!;
    [Inject] private TrainingService Training { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private PairReviewService PairReviews { get; set; } = null!;
    [Inject] private CliJobs Jobs { get; set; } = null!;
    [Inject] private IOptions<TrainingOptions> TrainingSettings { get; set; } = null!;

    [CascadingParameter] private Task<AuthenticationState> Authentication { get; set; } = null!;

    private RunDynamics? _run;
    private string? _error;
    private string? _applyError;
    private bool _busy;
    private OpenedPair? _opened;
    private bool _trainSplit;
    private CliJob? _diagnosis;
    private string? _manager;

    /// <summary>An eval pair opened from the table, with the workspace's pair it came from.</summary>
    private sealed record OpenedPair(PairDiagnostic Diagnostic, PairUnderReview Pair, bool Sent);
    private FieldCoordinates _coordinates = FieldCoordinates.Probability;
    private int? _referencePair;
    private DpoField? _field;
    private PlotRange _range;
    private List<PlotPair> _plotPairs = [];
    private bool _perToken;

    private string Settings => _run is null ? "" : T["Stages {0} · loss {1} · β = {2} · rpo_alpha = {3} · dpop_lambda = {4} · status {5}",
        string.Join(" → ", _run.Config.Stages), _run.Config.Loss.Type, _run.Beta.ToString("G3", CultureInfo.CurrentCulture),
        _run.Config.Loss.RpoAlpha.ToString("G3", CultureInfo.CurrentCulture), _run.Config.Loss.DpopLambda.ToString("G3", CultureInfo.CurrentCulture),
        _run.Status?.State.ToString() ?? "—"];

    protected override void OnParametersSet() => Load();

    private void Load()
    {
        try
        {
            _run = Dynamics.Load(RunId);
            _error = null;
        }
        catch (Exception error) when (error is DirectoryNotFoundException or InvalidDataException or JsonException)
        {
            (_run, _error) = (null, error.Message);
        }
        UpdatePlot();
    }

    /// <summary>Queues a new run of the workspace with the alert's remedy and goes to the training page to follow it.</summary>
    private async Task ApplyAsync(RunAlert alert)
    {
        if (_run?.Config.Workspace is not { } workspace)
            return;
        _busy = true;
        _applyError = null;
        try
        {
            var user = (await Authentication).User;
            var from = await Training.FindAsync(user, workspace, RunId)
                ?? throw new ArgumentException(T["Run {0} was not started from the training page of {1}, so it cannot be repeated from here; use annotatedpo train --config with --set.", RunId, workspace]);
            await Training.StartWithRemedyAsync(user, workspace, from, alert.Remedy);
            Navigation.NavigateTo($"training/{Uri.EscapeDataString(workspace)}");
        }
        catch (ArgumentException e)
        {
            _applyError = e.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>Runs <c>annotatedpo runs diagnose</c> in a child process and shows the train split when it is done.</summary>
    private async Task DiagnoseTrainSplit()
    {
        if (_run?.Config.Workspace is not { } workspace)
            return;
        _manager ??= (await Authentication).User.Identity?.Name;
        _applyError = null;
        try
        {
            _diagnosis = Jobs.Start(workspace, "diagnose", RunId, _manager ?? "", ["runs", "diagnose", RunId, "--runs", TrainingSettings.Value.ResolvedRunsFolder]);
        }
        catch (InvalidOperationException e)
        {
            _applyError = e.Message;
            return;
        }
        await _diagnosis.Completion;
        if (_diagnosis.State == CliJobState.Succeeded)
        {
            Load();
            _trainSplit = _run?.TrainPairs is not null;
        }
    }

    private async Task OpenAsync(PairDiagnostic diagnostic)
    {
        if (_run?.Config.Workspace is not { } workspace || diagnostic.Key is not { } key)
            return;
        _manager ??= (await Authentication).User.Identity?.Name;
        _applyError = null;
        try
        {
            _opened = await PairReviews.GetAsync(workspace, key) is { } pair ? new OpenedPair(diagnostic, pair, Sent: false) : null;
            if (_opened is null)
                _applyError = T["The workspace {0} has no pair {1} any more.", workspace, key];
        }
        catch (WorkspaceNotFoundException e)
        {
            _applyError = e.Message;
        }
    }

    /// <summary>Sends the opened pair to the review queue with its flags and figures as the reason.</summary>
    private async Task SendToReviewAsync()
    {
        if (_opened is not { } opened || _run?.Config.Workspace is not { } workspace || _manager is null)
            return;
        _busy = true;
        try
        {
            var diagnostic = opened.Diagnostic;
            var reason = T["{0} (Δlog p_w {1}, Δlog p_l {2})", string.Join(", ", DynamicsLabels.Flags(diagnostic.Flags).Select(f => DynamicsLabels.Flag(T, f))),
                diagnostic.DeltaChosen.ToString("+0.00;−0.00;0.00", CultureInfo.CurrentCulture), diagnostic.DeltaRejected.ToString("+0.00;−0.00;0.00", CultureInfo.CurrentCulture)];
            await PairReviews.RequestAsync(workspace, opened.Pair.PairKey, reason, T["run {0}", RunId], _manager);
            _opened = opened with { Sent = true };
        }
        catch (ArgumentException e)
        {
            _applyError = e.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private void Show(FieldCoordinates coordinates)
    {
        _coordinates = coordinates;
        UpdatePlot();
    }

    private void UseReference(int? pair)
    {
        _referencePair = pair;
        UpdatePlot();
    }

    private void UpdatePlot()
    {
        if (_run?.Pairs is not { } report)
            return;
        _field = DynamicsPlotData.Field(_run.Beta, report.Pairs, _referencePair);
        _plotPairs = report.Pairs.Select(p => DynamicsPlotData.For(p, _coordinates)).ToList();
        _range = DynamicsPlotData.Range(_coordinates, _plotPairs);
        _perToken = report.Pairs.Count > 0 && report.Pairs.All(DynamicsPlotData.PerToken);
    }
}
