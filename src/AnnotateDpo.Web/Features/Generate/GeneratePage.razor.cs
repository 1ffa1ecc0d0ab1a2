using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Evaluation;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace AnnotateDpo.Web.Features.Generate;

/// <summary>
/// A manager picks prompts, a model and sampling settings; the page starts <c>annotatedpo candidates</c> in a child
/// process and follows it. A job started earlier (from this or another browser) is picked up again on opening.
/// </summary>
public sealed partial class GeneratePage
{
    [Inject] private GenerateService Service { get; set; } = null!;
    [Inject] private CliJobs Jobs { get; set; } = null!;

    /// <summary>The workspace's name, from the address.</summary>
    [Parameter] public string Workspace { get; set; } = "";

    [CascadingParameter] private Task<AuthenticationState> Authentication { get; set; } = null!;

    private GenerateWorkspace? _workspace;
    private IReadOnlyList<ModelChoice> _models = [];
    private string? _error;
    private CliJob? _job;
    private string _promptKind = PromptSource.Sft;
    private string? _category;
    private string? _pasted;
    private int? _limit = 20;
    private string? _model;
    private int _k = 2;
    private double _temperature = 0.8;
    private double _topP = 0.95;
    private int _maxNewTokens = 128;
    private long? _seed;

    protected override async Task OnParametersSetAsync()
    {
        _models = GenerateService.Models();
        _model ??= _models.FirstOrDefault()?.Path;
        _job = Jobs.Latest(Workspace, GenerateService.JobKind);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            _workspace = await Service.DescribeAsync(Workspace);
            _category ??= _workspace.Categories.FirstOrDefault();
        }
        catch (WorkspaceNotFoundException e)
        {
            _error = e.Message;
        }
    }

    private async Task Start()
    {
        _error = null;
        if (_model is null)
        {
            _error = T["Choose a model."];
            return;
        }
        var user = (await Authentication).User.Identity?.Name ?? throw new InvalidOperationException("Generating needs a signed-in user.");
        try
        {
            _job = Service.Start(new CandidateRequest(Workspace, _promptKind, _category, _pasted, _limit, _model, _k, _temperature, _topP, _maxNewTokens, _seed), user);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            _error = e.Message;
        }
    }

    private string ModelName(ModelChoice model) => model.Run is null
        ? T["{0} (base model)", model.Label]
        : T["{0} (run {1}, {2})", model.Label, model.Run, model.Stage ?? ""];
}
