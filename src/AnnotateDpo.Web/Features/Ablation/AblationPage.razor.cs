using System.Globalization;
using System.Security.Claims;
using AnnotateDpo.Training.Diagnostics;
using AnnotateDpo.Web.Features.Dynamics;
using AnnotateDpo.Web.Features.Training;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace AnnotateDpo.Web.Features.Ablation;

/// <summary>
/// /training/ablations/{AblationId}: the two arms of "does SFT first pay off?" side by side — their DPO fields with the
/// eval pairs' paths, Δlog p_w and Δlog p_l, eval reward accuracy and margins over the steps, the final models' eval
/// SFT loss, the blind win rate when judged, and a verdict from those numbers; live while the runs train.
/// </summary>
public sealed partial class AblationPage
{
    [Inject] private AblationService Ablations { get; set; } = null!;

    [Inject] private NavigationManager Navigation { get; set; } = null!;

    /// <summary>The ablation's id (its first run's id), from the address.</summary>
    [Parameter] public long AblationId { get; set; }

    [CascadingParameter] private Task<AuthenticationState> Authentication { get; set; } = null!;

    private ClaimsPrincipal _user = new();
    private AblationView? _view;
    private string? _error;
    private string? _evaluateError;
    private bool _busy;
    // Log coordinates by default: per-token probabilities of a small model sit near the origin of the (0, 1) square,
    // where the two arms' paths cannot be told apart.
    private FieldCoordinates _coordinates = FieldCoordinates.LogProbability;
    private Dictionary<long, ArmPlot> _plots = [];
    private PlotRange _range = new(0, 1);

    private sealed record ArmPlot(DpoField Field, IReadOnlyList<PlotPair> Pairs, bool PerToken);

    private IEnumerable<(AblationArm Arm, string Title, string TestId)> Arms => _view is null ? [] :
    [
        (_view.DpoFromBase, T["DPO from the base model"], "arm-dpo-from-base"),
        (_view.SftThenDpo, T["SFT → DPO"], "arm-sft-then-dpo"),
    ];

    protected override async Task OnInitializedAsync()
    {
        _user = (await Authentication).User;
        Ablations.Monitor.Changed += OnMonitorChanged;
    }

    protected override async Task OnParametersSetAsync() => await LoadAsync();

    private async Task LoadAsync()
    {
        try
        {
            _view = await Ablations.LoadAsync(_user, AblationId);
            _error = null;
        }
        catch (KeyNotFoundException e)
        {
            (_view, _error) = (null, e.Message);
        }
        UpdatePlots();
    }

    private void OnMonitorChanged() => _ = InvokeAsync(async () =>
    {
        await LoadAsync();
        StateHasChanged();
    });

    private void Show(FieldCoordinates coordinates)
    {
        _coordinates = coordinates;
        UpdatePlots();
    }

    private void UpdatePlots()
    {
        _plots = [];
        foreach (var (arm, _, _) in Arms)
        {
            if (arm.Dynamics?.Pairs is not { Pairs.Count: > 0 } report)
                continue;
            _plots[arm.Run.Id] = new ArmPlot(
                DynamicsPlotData.Field(arm.Dynamics.Beta, report.Pairs, referencePair: null),
                report.Pairs.Select(p => DynamicsPlotData.For(p, _coordinates)).ToList(),
                report.Pairs.All(DynamicsPlotData.PerToken));
        }
        // One square for both plots, so that the arms' paths can be compared by eye.
        _range = DynamicsPlotData.Range(_coordinates, _plots.Values.SelectMany(p => p.Pairs).ToList());
    }

    private async Task EvaluateAsync()
    {
        _busy = true;
        _evaluateError = null;
        try
        {
            var evaluationId = await Ablations.CreateEvaluationAsync(_user, AblationId);
            Navigation.NavigateTo(EvaluationLink(evaluationId));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            _evaluateError = e.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private string EvaluationLink(long evaluationId) => $"/evaluate/{Uri.EscapeDataString(_view!.Workspace)}/{evaluationId}";

    private string ProgressText(AblationArm arm) => arm.Progress.Stage is { } stage && arm.Progress.TotalSteps > 0
        ? T["{0}: step {1} of {2}", stage.ToUpperInvariant(), arm.Progress.Step, arm.Progress.TotalSteps]
        : T["Waiting for the trainer."];

    private Severity VerdictSeverity => _view?.Verdict.Kind switch
    {
        AblationVerdictKind.PaidOff => Severity.Success,
        AblationVerdictKind.DidNotPayOff => Severity.Warning,
        AblationVerdictKind.Pending or null => Severity.Info,
        _ => Severity.Normal,
    };

    private string VerdictText
    {
        get
        {
            var view = _view!;
            var (fromBase, sftFirst) = (view.DpoFromBase.Figures, view.SftThenDpo.Figures);
            if (view.Verdict.Kind == AblationVerdictKind.Pending)
                return T["No verdict yet: both runs need a DPO eval after their first step."];
            object[] figures = [Loss(sftFirst.FinalSftLoss), Loss(fromBase.FinalSftLoss), Share(sftFirst.FinalAccuracy), Share(fromBase.FinalAccuracy)];
            var sentence = view.Verdict.Kind switch
            {
                AblationVerdictKind.PaidOff => T["SFT first paid off: the SFT → DPO model's eval SFT loss is {0} against {1} from DPO alone, and it ranks {2} of the eval pairs right against {3}.", figures],
                AblationVerdictKind.LowerLossOnly => T["Mixed: SFT first writes the ideal answers better (eval SFT loss {0} against {1}) but ranks fewer eval pairs right ({2} against {3}).", figures],
                AblationVerdictKind.HigherAccuracyOnly => T["Mixed: SFT first ranks more eval pairs right ({2} against {3}) but writes the ideal answers no better (eval SFT loss {0} against {1}).", figures],
                _ => T["SFT first did not pay off on this data: eval SFT loss {0} against {1}, eval pairs ranked right {2} against {3}.", figures],
            };
            var movement = T["DPO moved the chosen answers by {0} nats after SFT and by {1} from the base model, the rejected ones by {2} and {3}.",
                Delta(sftFirst.FinalDeltaChosen), Delta(fromBase.FinalDeltaChosen), Delta(sftFirst.FinalDeltaRejected), Delta(fromBase.FinalDeltaRejected)];
            return view.WinRate is { } winRate ? $"{sentence} {movement} {WinRateText(winRate)}" : $"{sentence} {movement}";
        }
    }

    private string WinRateText(AblationWinRate winRate)
    {
        var h = winRate.SftFirst;
        return T["In blind judging the SFT → DPO model won {0} of {1} comparisons ({2}, 95% interval {3}–{4}), tied {5} and lost {6}.",
            h.Wins, h.Comparisons, Share(h.WinRate), Share(h.WinInterval.Low), Share(h.WinInterval.High), h.Ties, h.Losses];
    }

    private IEnumerable<(string Label, string Key, string FromBase, string SftFirst)> FigureRows()
    {
        var (fromBase, sftFirst) = (_view!.DpoFromBase.Figures, _view.SftThenDpo.Figures);
        yield return (T["Mean Δlog p_w (nats)"], "delta-chosen", Delta(fromBase.FinalDeltaChosen), Delta(sftFirst.FinalDeltaChosen));
        yield return (T["Mean Δlog p_l (nats)"], "delta-rejected", Delta(fromBase.FinalDeltaRejected), Delta(sftFirst.FinalDeltaRejected));
        yield return (T["Eval reward accuracy"], "accuracy", Share(fromBase.FinalAccuracy), Share(sftFirst.FinalAccuracy));
        yield return (T["Eval reward margin"], "margin", Number(fromBase.FinalMargin), Number(sftFirst.FinalMargin));
        yield return (T["Eval SFT loss as DPO starts"], "initial-sft-loss", Loss(fromBase.InitialSftLoss), Loss(sftFirst.InitialSftLoss));
        yield return (T["Eval SFT loss of the final model"], "final-sft-loss", Loss(fromBase.FinalSftLoss), Loss(sftFirst.FinalSftLoss));
    }

    private IEnumerable<(string Title, IReadOnlyList<ChartLine> Lines)> Charts()
    {
        var (fromBase, sftFirst) = (_view!.DpoFromBase.Figures, _view.SftThenDpo.Figures);
        IReadOnlyList<ChartLine> Lines(Func<AblationArmFigures, IReadOnlyList<StepValue>> series) =>
        [
            new(T["DPO from the base model"], series(fromBase).Select(v => (v.Step, v.Value)).ToList()),
            new(T["SFT → DPO"], series(sftFirst).Select(v => (v.Step, v.Value)).ToList()),
        ];
        yield return (T["Mean Δlog p_w over DPO steps"], Lines(f => f.MeanDeltaChosen));
        yield return (T["Mean Δlog p_l over DPO steps"], Lines(f => f.MeanDeltaRejected));
        yield return (T["Eval reward accuracy over DPO steps"], Lines(f => f.Accuracies));
        yield return (T["Eval reward margin over DPO steps"], Lines(f => f.Margins));
        yield return (T["Eval SFT loss over DPO steps"], Lines(f => f.SftLoss));
    }

    private static string Delta(double? value) => value?.ToString("+0.00;−0.00;0.00", CultureInfo.CurrentCulture) ?? "—";

    private static string Share(double? value) => value?.ToString("P0", CultureInfo.CurrentCulture) ?? "—";

    private static string Loss(double? value) => value?.ToString("0.000", CultureInfo.CurrentCulture) ?? "—";

    private static string Number(double? value) => value?.ToString("0.000", CultureInfo.CurrentCulture) ?? "—";

    public void Dispose() => Ablations.Monitor.Changed -= OnMonitorChanged;
}
