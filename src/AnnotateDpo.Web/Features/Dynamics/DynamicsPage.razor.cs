using System.Globalization;
using System.Text.Json;
using AnnotateDpo.Training.Diagnostics;
using AnnotateDpo.Web.Features.Training;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace AnnotateDpo.Web.Features.Dynamics;

public partial class DynamicsPage
{
    /// <summary>The run's folder name under the runs folder, from the address.</summary>
    [Parameter] public string RunId { get; set; } = "";

    [Inject] private RunDynamicsService Dynamics { get; set; } = null!;
    [Inject] private TrainingService Training { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    [CascadingParameter] private Task<AuthenticationState> Authentication { get; set; } = null!;

    private RunDynamics? _run;
    private string? _error;
    private string? _applyError;
    private bool _busy;
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
