using System.Data.Common;
using System.Text;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Statistics;

/// <summary>
/// Reads the <see cref="PairTextFacts"/> of a workspace's pairs for one tokenizer in one query, after computing and
/// storing those of pairs that have none yet: only new pairs' texts are read and tokenised, on every core.
/// </summary>
internal static class PairTextFactsStore
{
    /// <summary>Rows per INSERT: 7 parameters each stays far below SQLite's and PostgreSQL's parameter limits.</summary>
    private const int InsertBatch = 500;

    public static async Task<Dictionary<long, PairTextFacts>> LoadAsync(AnnotateDbContext db, long workspaceId, ITokenCounter? tokenCounter,
        CancellationToken cancellationToken)
    {
        var tokenizer = tokenCounter?.Name ?? PairTextFacts.NoTokenizer;
        var missing = await db.PreferencePairs.AsNoTracking()
            .Where(p => p.WorkspaceId == workspaceId && !db.PairTextFacts.Any(f => f.PairId == p.Id && f.Tokenizer == tokenizer))
            .Select(p => new { p.Id, A = p.ResponseA.Text, B = p.ResponseB.Text })
            .ToListAsync(cancellationToken);
        if (missing.Count > 0)
        {
            var computed = new PairTextFacts[missing.Count];
            Parallel.For(0, missing.Count, new ParallelOptions { CancellationToken = cancellationToken },
                i => computed[i] = Compute(missing[i].Id, tokenizer, missing[i].A, missing[i].B, tokenCounter));
            await InsertAsync(db, computed, cancellationToken);
        }
        return await db.PairTextFacts.AsNoTracking()
            .Where(f => f.Tokenizer == tokenizer && PairResolutionQuery.PairIds(db, workspaceId).Contains(f.PairId))
            .ToDictionaryAsync(f => f.PairId, cancellationToken);
    }

    private static PairTextFacts Compute(long pairId, string tokenizer, string a, string b, ITokenCounter? tokenCounter) =>
        new()
        {
            PairId = pairId,
            Tokenizer = tokenizer,
            CharactersA = CodePoints(a),
            CharactersB = CodePoints(b),
            TokensA = tokenCounter?.Count(a),
            TokensB = tokenCounter?.Count(b),
            EditDistance = Bias.EditDistanceUnlessLengthsDiffer(a, b),
        };

    private static int CodePoints(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes()) count++;
        return count;
    }

    /// <summary>
    /// Plain multi-row INSERTs that skip rows already there: two processes filling the same pairs at once (the web
    /// app and <c>annotatedpo stats</c>) compute the same facts, so whichever comes second has nothing to add.
    /// <c>ON CONFLICT DO NOTHING</c> reads the same in SQLite and PostgreSQL.
    /// </summary>
    private static async Task InsertAsync(AnnotateDbContext db, IReadOnlyList<PairTextFacts> facts, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Parameters made by the provider itself: EF's own raw-SQL values cannot be null.
        await using var factory = db.Database.GetDbConnection().CreateCommand();
        foreach (var batch in facts.Chunk(InsertBatch))
        {
            var sql = new StringBuilder("""INSERT INTO "PairTextFacts" ("PairId", "Tokenizer", "CharactersA", "CharactersB", "TokensA", "TokensB", "EditDistance") VALUES """);
            var parameters = new List<DbParameter>(batch.Length * 7);
            foreach (var f in batch)
            {
                sql.Append(parameters.Count == 0 ? "(" : ", (");
                object?[] values = [f.PairId, f.Tokenizer, f.CharactersA, f.CharactersB, f.TokensA, f.TokensB, f.EditDistance];
                for (var i = 0; i < values.Length; i++)
                {
                    var parameter = factory.CreateParameter();
                    parameter.ParameterName = $"@p{parameters.Count}";
                    parameter.Value = values[i] ?? DBNull.Value;
                    sql.Append(i == 0 ? "" : ", ").Append(parameter.ParameterName);
                    parameters.Add(parameter);
                }
                sql.Append(')');
            }
            sql.Append(" ON CONFLICT DO NOTHING");
            await db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
