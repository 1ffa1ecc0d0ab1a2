using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Storage;
using AnnotateDpo.Core.Text;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Evaluation;

/// <summary>The k answers one model sampled for one prompt.</summary>
public sealed record SampledAnswers(CandidatePrompt Prompt, IReadOnlyList<string> Samples);

/// <summary>The model that sampled a batch and how: recorded on every response it produced.</summary>
/// <param name="Model">The model folder.</param>
/// <param name="Run">The training run the model came from (null for a base model).</param>
/// <param name="Settings">The sampling settings, e.g. "temperature=0.8 top_p=0.95 max_new_tokens=128 seed=7 k=2".</param>
public sealed record GenerationSource(string Model, string? Run, string Settings);

/// <summary>What an on-policy batch added: pairs, and what it left out and why.</summary>
/// <param name="IdenticalSamples">Samples dropped because another sample of the same prompt read the same after normalisation (or was empty).</param>
/// <param name="PromptsWithoutPair">Prompts left with fewer than two different samples.</param>
/// <param name="DuplicatePairs">Pairs whose content the workspace already held.</param>
public sealed record OnPolicyImport(string Batch, IReadOnlyList<string> PairKeys, int IdenticalSamples, int PromptsWithoutPair, int DuplicatePairs);

/// <summary>
/// Turns sampled answers into preference pairs for the judging queue: per prompt, identical samples (after Unicode and
/// whitespace normalisation) are dropped and every two different samples make a pair, both responses marked as the
/// model's (<see cref="ResponseOrigin.Model"/>, model, run, settings) and the pair tagged <see cref="Tag"/>. The
/// batch is written in one transaction: all of it or nothing.
/// </summary>
public sealed class OnPolicyPairService(IDbContextFactory<AnnotateDbContext> dbFactory, TimeProvider time)
{
    public const string Tag = "on-policy";

    public async Task<OnPolicyImport> ImportAsync(string workspace, IReadOnlyList<SampledAnswers> answers, GenerationSource source,
        string author, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(author);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ws = await WorkspaceLookup.GetAsync(db, workspace, cancellationToken);
        var categories = ws.Categories.ToDictionary(c => c.Name, c => c.Id);
        var known = (await db.PreferencePairs.Where(p => p.WorkspaceId == ws.Id).Select(p => p.ContentHash).ToListAsync(cancellationToken)).ToHashSet();
        var now = time.GetUtcNow().UtcDateTime;
        var batch = $"gen-{now:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..6]}";

        var identical = 0;
        var withoutPair = 0;
        var duplicates = 0;
        var pairs = new List<PreferencePair>();
        foreach (var answer in answers)
        {
            var distinct = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var sample in answer.Samples)
            {
                var normalised = TextNormalizer.Normalize(sample);
                if (normalised.Length > 0 && seen.Add(normalised))
                    distinct.Add(sample.Trim());
                else
                    identical++;
            }
            if (distinct.Count < 2)
            {
                withoutPair++;
                continue;
            }
            for (var i = 0; i < distinct.Count; i++)
            {
                for (var j = i + 1; j < distinct.Count; j++)
                {
                    var prompt = answer.Prompt.Prompt.ToList();
                    var hash = ContentHash.ForPair(prompt, distinct[i], distinct[j]);
                    if (!known.Add(hash))
                    {
                        duplicates++;
                        continue;
                    }
                    pairs.Add(new PreferencePair
                    {
                        WorkspaceId = ws.Id,
                        Key = $"{batch}-{pairs.Count + 1}",
                        CategoryId = answer.Prompt.Category is { } name && categories.TryGetValue(name, out var id) ? id : null,
                        Prompt = prompt,
                        ResponseA = Response(distinct[i], source),
                        ResponseB = Response(distinct[j], source),
                        Tags = [Tag],
                        AuthorId = author,
                        CreatedAt = now,
                        SourceFile = answer.Prompt.Source,
                        ContentHash = hash,
                    });
                }
            }
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.PreferencePairs.AddRange(pairs);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new OnPolicyImport(batch, pairs.Select(p => p.Key).ToList(), identical, withoutPair, duplicates);
    }

    private static PairResponse Response(string text, GenerationSource source) => new()
    {
        Text = text,
        Origin = ResponseOrigin.Model,
        Model = source.Model.Length <= 200 ? source.Model : source.Model[^200..],
        Run = source.Run,
        Settings = source.Settings,
    };
}
