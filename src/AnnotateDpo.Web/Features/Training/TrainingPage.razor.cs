using System.Globalization;
using System.Security.Claims;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Training;
using AnnotateDpo.Training.Diagnostics;
using AnnotateDpo.Web.Features.Dynamics;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace AnnotateDpo.Web.Features.Training;

/// <summary>
/// /training/{Workspace}: queue a run from a preset (and advanced overrides), follow the selected run live (progress,
/// charts with their tables), cancel or resume it, download its models and report, and compare runs.
/// </summary>
public sealed partial class TrainingPage
{
    [Inject] private TrainingService Training { get; set; } = null!;
    [Inject] private RunDynamicsService Dynamics { get; set; } = null!;

    [Inject] private NavigationManager Navigation { get; set; } = null!;

    /// <summary>The workspace's name, from the address.</summary>
    [Parameter] public string Workspace { get; set; } = "";

    [CascadingParameter] private Task<AuthenticationState> Authentication { get; set; } = null!;

    private readonly HashSet<long> _compared = [];
    private readonly AdvancedSettings _advanced = new();
    private ClaimsPrincipal _user = new();
    private IReadOnlyList<TrainingRun>? _runs;
    private IReadOnlyList<BaseModelChoice> _baseModels = [];
    private TrainingRun? _selected;
    private IReadOnlyList<MetricPoint> _metrics = [];
    private RunFileStatus? _status;
    private RunDynamics? _insights;
    private (string RunKey, int MetricLines, string? State) _insightsVersion;
    private IReadOnlyList<string> _selectedStages = [];
    private TrainingPreset _preset = TrainingPreset.Demo;
    private string _baseModel = "";
    private string? _notFound;
    private string? _error;
    private bool _busy;
    private bool _followLive = true;

    protected override async Task OnInitializedAsync()
    {
        _user = (await Authentication).User;
        _baseModel = Training.DemoModel;
        Training.Monitor.Changed += OnMonitorChanged;
    }

    protected override async Task OnParametersSetAsync() => await ReloadAsync();

    private async Task ReloadAsync()
    {
        try
        {
            _runs = await Training.ListAsync(_user, Workspace);
            _notFound = null;
        }
        catch (WorkspaceNotFoundException e)
        {
            _notFound = e.Message;
            return;
        }
        _baseModels = Training.BaseModels(_runs);
        var live = _runs.FirstOrDefault(r => r.State == TrainingRunState.Running);
        _selected = (_followLive ? live : null) is { } running ? running
            : _runs.FirstOrDefault(r => r.Id == _selected?.Id) ?? live ?? _runs.FirstOrDefault();
        LoadSelected();
    }

    private void LoadSelected()
    {
        if (_selected is null)
            return;
        _metrics = Training.Metrics(_selected);
        _status = Training.Status(_selected);
        var settings = TrainingSettings.FromJson(_selected.SettingsJson);
        _selectedStages = TrainerFiles.Stages.Where(s => s == "sft" ? settings.Sft : settings.Dpo).ToList();
        // The monitor polls many times a step; the logs the insights come from only change with a new metrics line.
        var version = (_selected.RunKey, _metrics.Count, _status?.State);
        if (_insights is not null && version == _insightsVersion)
            return;
        try
        {
            _insights = Dynamics.Load(_selected.RunKey);
            _insightsVersion = version;
        }
        catch (Exception error) when (error is DirectoryNotFoundException or InvalidDataException or IOException or System.Text.Json.JsonException)
        {
            // Queued, or its logs are being rewritten by a resume: the next poll reads them.
            _insights = null;
        }
    }

    private void OnMonitorChanged() => _ = InvokeAsync(async () =>
    {
        await ReloadAsync();
        StateHasChanged();
    });

    private Task StartAsync() => QueueAsync(() => Training.StartAsync(_user, Workspace, _advanced.ToSettings(_preset, _baseModel)));

    private Task StartWithRemedyAsync(TrainingRun from, RunAlert alert) =>
        QueueAsync(() => Training.StartWithRemedyAsync(_user, Workspace, from, alert.Remedy));

    private async Task QueueAsync(Func<Task<TrainingRun>> start)
    {
        _busy = true;
        _error = null;
        try
        {
            var run = await start();
            _followLive = true;
            _selected = run;
            await ReloadAsync();
        }
        catch (ArgumentException e)
        {
            _error = e.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task StartAblationAsync()
    {
        _busy = true;
        _error = null;
        try
        {
            var ablation = await Training.StartAblationAsync(_user, Workspace, _advanced.ToSettings(_preset, _baseModel));
            Navigation.NavigateTo($"/training/ablations/{ablation.Id}");
        }
        catch (ArgumentException e)
        {
            _error = e.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task CancelAsync(TrainingRun run) => await ActAsync(() => Training.CancelAsync(_user, run.Id));

    private async Task ResumeAsync(TrainingRun run) => await ActAsync(() => Training.ResumeAsync(_user, run.Id));

    private async Task ActAsync(Func<Task<TrainingRun>> action)
    {
        _busy = true;
        _error = null;
        try
        {
            _selected = await action();
            await ReloadAsync();
        }
        catch (InvalidOperationException e)
        {
            _error = e.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private void Select(long runId)
    {
        _selected = _runs?.FirstOrDefault(r => r.Id == runId);
        // Choosing a run by hand stops the page from jumping to the live one until the next run is started here.
        _followLive = _selected?.State == TrainingRunState.Running;
        LoadSelected();
    }

    private void ToggleCompare(long runId)
    {
        if (!_compared.Remove(runId))
            _compared.Add(runId);
    }

    private void UseAsBase(string folder) => _baseModel = folder;

    private string BaseModelLabel(BaseModelChoice choice) => choice.FromRunId is { } runId
        ? T["Run {0}: {1} model", runId.ToString(CultureInfo.CurrentCulture), choice.Stage!.ToUpperInvariant()]
        : T["Demo model ({0})", Path.GetFileName(choice.Folder)];

    public void Dispose() => Training.Monitor.Changed -= OnMonitorChanged;

    /// <summary>The advanced panel's fields; empty ones keep the preset's value.</summary>
    private sealed class AdvancedSettings
    {
        public bool Sft { get; set; } = true;
        public bool Dpo { get; set; } = true;
        public double? Epochs { get; set; }
        public int? MaxSteps { get; set; }

        /// <summary>Text, so that 5e-6 can be typed as such.</summary>
        public string? LearningRate { get; set; }

        public double? Beta { get; set; }
        public string? LossType { get; set; }
        public double? RpoAlpha { get; set; }
        public double? DpopLambda { get; set; }
        public int? Seed { get; set; }

        public TrainingSettings ToSettings(TrainingPreset preset, string baseModel) => new()
        {
            Preset = preset,
            BaseModel = baseModel,
            Sft = Sft,
            Dpo = Dpo,
            Epochs = Epochs,
            MaxSteps = MaxSteps,
            LearningRate = ParseLearningRate(),
            Beta = Beta,
            LossType = LossType,
            RpoAlpha = RpoAlpha,
            DpopLambda = DpopLambda,
            Seed = Seed,
        };

        private double? ParseLearningRate()
        {
            if (string.IsNullOrWhiteSpace(LearningRate))
                return null;
            return double.TryParse(LearningRate, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                || double.TryParse(LearningRate, NumberStyles.Float, CultureInfo.CurrentCulture, out value)
                ? value
                : throw new ArgumentException($"The learning rate '{LearningRate}' is not a number (write it as 5e-6 or 0.000005).");
        }
    }
}
