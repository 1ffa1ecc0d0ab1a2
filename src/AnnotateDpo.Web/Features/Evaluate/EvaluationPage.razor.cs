using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Evaluation;
using AnnotateDpo.Web.Features.Generate;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace AnnotateDpo.Web.Features.Evaluate;

/// <summary>One evaluation: its models, answer generation (a CLI job), and its results.</summary>
public sealed partial class EvaluationPage
{
    [Inject] private EvaluationService Evaluations { get; set; } = null!;
    [Inject] private EvaluationJobs Jobs { get; set; } = null!;

    /// <summary>The workspace's name, from the address.</summary>
    [Parameter] public string Workspace { get; set; } = "";

    /// <summary>The evaluation's id, from the address.</summary>
    [Parameter] public long Id { get; set; }

    [CascadingParameter] private Task<AuthenticationState> Authentication { get; set; } = null!;

    private ModelEvaluation? _evaluation;
    private EvaluationReport? _report;
    private CliJob? _job;
    private string? _error;
    private string? _poolMessage;

    protected override async Task OnParametersSetAsync()
    {
        _job = Jobs.Latest(Workspace, Id);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            _evaluation = await Evaluations.GetAsync(Workspace, Id);
            _report = await Evaluations.ReportAsync(Id);
        }
        catch (Exception e) when (e is WorkspaceNotFoundException or KeyNotFoundException)
        {
            _error = e.Message;
        }
    }

    private async Task<string> UserAsync() =>
        (await Authentication).User.Identity?.Name ?? throw new InvalidOperationException("Evaluations need a signed-in user.");

    private async Task Generate()
    {
        _error = null;
        try
        {
            _job = Jobs.StartGenerating(Workspace, Id, _evaluation!.Name, await UserAsync());
        }
        catch (InvalidOperationException e)
        {
            _error = e.Message;
        }
    }

    private async Task AddToPoolAsync()
    {
        var added = await Evaluations.AddToPoolAsync(Id, null, await UserAsync());
        _poolMessage = T["{0} pairs added to the preference pool; {1} were added before; {2} already in the workspace.", added.Added, added.AlreadyAdded, added.DuplicatePairs];
    }

    private static string Number(double? value, string format) => value is { } v ? v.ToString(format) : "–";
}
