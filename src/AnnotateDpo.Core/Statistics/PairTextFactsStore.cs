using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Statistics;

/// <summary>
/// Sums up the <see cref="PairTextFacts"/> of a workspace's pairs for one tokenizer in the database, after computing and
/// storing those of pairs that have none yet: only new pairs' texts are read and tokenised, on every core.
/// </summary>
internal static class PairTextFactsStore
{
    /// <summary>The length bias of the resolved pairs and the number of nearly identical pairs.</summary>
    public static async Task<(LengthBias Length, int NearIdentical)> SummarizeAsync(AnnotateDbContext db, long workspaceId,
        ITokenCounter? tokenCounter, CancellationToken cancellationToken)
    {
        var tokenizer = tokenCounter?.Name ?? PairTextFacts.NoTokenizer;
        // Each pair has at most one row per tokenizer, and a deleted pair takes its rows along: as many rows as pairs
        // means none is missing, which two counts over indexes tell without probing every pair.
        if (await db.PairTextFacts.CountAsync(f => f.Tokenizer == tokenizer, cancellationToken) != await db.PreferencePairs.CountAsync(cancellationToken))
            await FillMissingAsync(db, tokenizer, tokenCounter, cancellationToken);

        var resolved =
            from f in db.PairTextFacts
            where f.Tokenizer == tokenizer
            join s in db.PairVoteSummaries on f.PairId equals s.PairId
            where s.WorkspaceId == workspaceId && (s.Outcome == PairOutcome.AChosen || s.Outcome == PairOutcome.BChosen)
            select new
            {
                Chosen = s.Outcome == PairOutcome.AChosen ? f.CharactersA : f.CharactersB,
                Rejected = s.Outcome == PairOutcome.AChosen ? f.CharactersB : f.CharactersA,
                Tokens = s.Outcome == PairOutcome.AChosen ? f.TokensA - f.TokensB : f.TokensB - f.TokensA,
            };
        var totals = await resolved.GroupBy(_ => 1).Select(g => new
        {
            Pairs = g.Count(),
            Unequal = g.Count(r => r.Chosen != r.Rejected),
            LongerChosen = g.Count(r => r.Chosen > r.Rejected),
            Difference = g.Sum(r => (long)(r.Chosen - r.Rejected)),
            Tokens = g.Sum(r => (long?)r.Tokens),
        }).SingleOrDefaultAsync(cancellationToken);
        var length = totals is null ? Bias.Length(0, 0, 0, 0) : Bias.Length(totals.Pairs, totals.Unequal, totals.LongerChosen, totals.Difference);
        if (tokenCounter is not null && length.Pairs > 0) length = length with { MeanTokenDifference = (double)totals!.Tokens!.Value / length.Pairs };

        // The pair's workspace as a lookup per nearly identical pair, so that the database starts from the tokenizer's
        // facts rather than from the workspace's pairs.
        var nearIdentical = await db.PairTextFacts.CountAsync(f => f.Tokenizer == tokenizer && f.EditDistance < Bias.NearIdenticalDistance
            && db.PreferencePairs.Where(p => p.Id == f.PairId).Select(p => p.WorkspaceId).First() == workspaceId, cancellationToken);
        return (length, nearIdentical);
    }

    /// <summary>Computes and stores the facts of every pair (of any workspace) that has none for the tokenizer.</summary>
    private static async Task FillMissingAsync(AnnotateDbContext db, string tokenizer, ITokenCounter? tokenCounter, CancellationToken cancellationToken)
    {
        var missing = await db.PreferencePairs.AsNoTracking()
            .Where(p => !db.PairTextFacts.Any(f => f.PairId == p.Id && f.Tokenizer == tokenizer))
            .Select(p => new { p.Id, A = p.ResponseA.Text, B = p.ResponseB.Text })
            .ToListAsync(cancellationToken);
        var computed = new PairTextFacts[missing.Count];
        Parallel.For(0, missing.Count, new ParallelOptions { CancellationToken = cancellationToken },
            i => computed[i] = Compute(missing[i].Id, tokenizer, missing[i].A, missing[i].B, tokenCounter));
        await InsertAsync(db, computed, cancellationToken);
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
    /// Skips rows already there: two processes filling the same pairs at once (the web app and <c>annotatedpo stats</c>)
    /// compute the same facts, so whichever comes second has nothing to add.
    /// </summary>
    private static async Task InsertAsync(AnnotateDbContext db, IReadOnlyList<PairTextFacts> facts, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await BulkInsert.InsertAsync(db, "PairTextFacts", ["PairId", "Tokenizer", "CharactersA", "CharactersB", "TokensA", "TokensB", "EditDistance"],
            facts.Select(f => new object?[] { f.PairId, f.Tokenizer, f.CharactersA, f.CharactersB, f.TokensA, f.TokensB, f.EditDistance }),
            cancellationToken, onConflict: "ON CONFLICT DO NOTHING");
        await transaction.CommitAsync(cancellationToken);
    }
}
