using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Evaluation;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace AnnotateDpo.Web.Features.Evaluate;

/// <summary>A workspace's evaluations, a form for a new one, and its held-out prompts.</summary>
public sealed partial class EvaluatePage
{
    [Inject] private EvaluationService Evaluations { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    /// <summary>The workspace's name, from the address.</summary>
    [Parameter] public string Workspace { get; set; } = "";

    [CascadingParameter] private Task<AuthenticationState> Authentication { get; set; } = null!;

    private IReadOnlyList<EvaluationSummary>? _evaluations;
    private IReadOnlyList<HeldOutPrompt> _heldOut = [];
    private IReadOnlyList<ModelChoice> _models = [];
    private readonly HashSet<string> _chosen = [];
    private string? _error;
    private string? _name;
    private bool _includeHeldOut = true;
    private int _maxNewTokens = 128;
    private double _temperature = 0.7;
    private double _topP = 0.9;
    private int _seed = 1;
    private string? _newPrompts;
    private string? _newCategory;

    protected override async Task OnParametersSetAsync()
    {
        _models = ModelCatalog.List();
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            _evaluations = await Evaluations.ListAsync(Workspace);
            _heldOut = await Evaluations.HeldOutPromptsAsync(Workspace);
        }
        catch (WorkspaceNotFoundException e)
        {
            _error = e.Message;
        }
    }

    private void Toggle(string path, bool on)
    {
        if (on) _chosen.Add(path);
        else _chosen.Remove(path);
    }

    private async Task<string> UserAsync() =>
        (await Authentication).User.Identity?.Name ?? throw new InvalidOperationException("Evaluations need a signed-in user.");

    private async Task CreateAsync()
    {
        _error = null;
        var models = _models.Where(m => _chosen.Contains(m.Path)).Select(m => new ModelEntry(m.Label, m.Path)).ToList();
        try
        {
            var created = await Evaluations.CreateAsync(new EvaluationRequest(Workspace, _name ?? "", models, null, _includeHeldOut,
                _maxNewTokens, _temperature, _topP, _seed), await UserAsync());
            Navigation.NavigateTo($"evaluate/{Uri.EscapeDataString(Workspace)}/{created.Id}");
        }
        catch (ArgumentException e)
        {
            _error = e.Message;
        }
    }

    private async Task AddHeldOutAsync()
    {
        _error = null;
        var lines = (_newPrompts ?? "").Split('\n');
        await Evaluations.AddHeldOutPromptsAsync(Workspace, lines, _newCategory, await UserAsync());
        _newPrompts = null;
        await LoadAsync();
    }

    private async Task RemoveHeldOutAsync(long id)
    {
        await Evaluations.RemoveHeldOutPromptAsync(Workspace, id);
        await LoadAsync();
    }
}
