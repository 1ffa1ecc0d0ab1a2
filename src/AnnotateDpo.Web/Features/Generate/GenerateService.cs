using System.Globalization;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Evaluation;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Web.Features.Generate;

/// <summary>What the page needs about a workspace: its categories and where its pairs come from.</summary>
public sealed record GenerateWorkspace(string Name, IReadOnlyList<string> Categories, PairOriginCounts Origins);

/// <summary>A manager's request for on-policy pairs; <see cref="Prompts"/> is a <see cref="PromptSource"/> or, for a pasted list, the lines.</summary>
public sealed record CandidateRequest(string Workspace, string PromptKind, string? Category, string? PastedPrompts, int? Limit,
    string ModelPath, int K, double Temperature, double TopP, int MaxNewTokens, long? Seed);

/// <summary>Starts <c>annotatedpo candidates</c> for a page and describes the workspace to it.</summary>
public sealed class GenerateService(IDbContextFactory<AnnotateDbContext> dbFactory, CliJobs jobs)
{
    public const string JobKind = "candidates";

    public async Task<GenerateWorkspace> DescribeAsync(string workspace, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        return new GenerateWorkspace(ws.Name, ws.Categories.Select(c => c.Name).Order(StringComparer.Ordinal).ToList(),
            await PairOriginCounts.CountAsync(dbFactory, workspace, cancellationToken));
    }

    /// <summary>The models a manager may pick: base models under seed-data/models and the stages of finished runs.</summary>
    public static IReadOnlyList<ModelChoice> Models() => ModelCatalog.List();

    /// <exception cref="ArgumentException">A setting out of range, or a model not offered.</exception>
    public CliJob Start(CandidateRequest request, string user)
    {
        if (Models().All(m => m.Path != request.ModelPath))
            throw new ArgumentException($"Model: '{request.ModelPath}' is not one of the offered models.");
        string source = request.PromptKind switch
        {
            PromptSource.Sft or PromptSource.Pairs => request.PromptKind,
            PromptSource.Category when !string.IsNullOrWhiteSpace(request.Category) => $"{PromptSource.Category}:{request.Category}",
            PromptSource.File when !string.IsNullOrWhiteSpace(request.PastedPrompts) => $"{PromptSource.File}:{WritePasted(request.PastedPrompts)}",
            _ => throw new ArgumentException("Prompts: choose SFT prompts, pair prompts, a category, or paste at least one prompt."),
        };
        var invariant = CultureInfo.InvariantCulture;
        List<string> arguments =
        [
            "candidates", "--workspace", request.Workspace, "--model", request.ModelPath, "--prompts", source,
            "--k", request.K.ToString(invariant), "--temperature", request.Temperature.ToString(invariant),
            "--top-p", request.TopP.ToString(invariant), "--max-new-tokens", request.MaxNewTokens.ToString(invariant),
            "--author", user,
        ];
        if (request.Seed is { } seed) arguments.AddRange(["--seed", seed.ToString(invariant)]);
        if (request.Limit is { } limit) arguments.AddRange(["--limit", limit.ToString(invariant)]);
        var model = Models().First(m => m.Path == request.ModelPath).Label;
        return jobs.Start(request.Workspace, JobKind, $"{model}: k={request.K}, {request.PromptKind}", user, arguments);
    }

    private string WritePasted(string text)
    {
        var path = Path.Combine(jobs.WorkFolder, $"prompts-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, text);
        return path;
    }
}
