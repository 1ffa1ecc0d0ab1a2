using AnnotateDpo.Core.Accounts;
using AnnotateDpo.Core.Curation;
using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Evaluation;
using AnnotateDpo.Core.Statistics;
using AnnotateDpo.Core.Training;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace AnnotateDpo.Core.Storage;

/// <summary>
/// The curation store, and Identity's accounts beside it. Each provider has its own subclass so that each keeps its own migrations:
/// <code>
/// dotnet ef migrations add NAME --project src/AnnotateDpo.Core --context SqliteAnnotateDbContext --output-dir Storage/Migrations/Sqlite
/// dotnet ef migrations add NAME --project src/AnnotateDpo.Core --context PostgresAnnotateDbContext --output-dir Storage/Migrations/Postgres
/// </code>
/// </summary>
public abstract class AnnotateDbContext(DbContextOptions options) : IdentityDbContext<AppUser>(options)
{
    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<SftExample> SftExamples => Set<SftExample>();
    public DbSet<PreferencePair> PreferencePairs => Set<PreferencePair>();
    public DbSet<Judgment> Judgments => Set<Judgment>();
    public DbSet<DatasetSnapshot> Snapshots => Set<DatasetSnapshot>();
    public DbSet<SnapshotSftItem> SnapshotSftItems => Set<SnapshotSftItem>();
    public DbSet<SnapshotPairItem> SnapshotPairItems => Set<SnapshotPairItem>();
    public DbSet<TrainingRun> TrainingRuns => Set<TrainingRun>();
    public DbSet<PairReviewRequest> PairReviewRequests => Set<PairReviewRequest>();
    public DbSet<HeldOutPrompt> HeldOutPrompts => Set<HeldOutPrompt>();
    public DbSet<ModelEvaluation> Evaluations => Set<ModelEvaluation>();
    public DbSet<EvaluatedModel> EvaluatedModels => Set<EvaluatedModel>();
    public DbSet<EvaluationItem> EvaluationItems => Set<EvaluationItem>();
    public DbSet<EvaluationAnswer> EvaluationAnswers => Set<EvaluationAnswer>();
    public DbSet<EvaluationJudgment> EvaluationJudgments => Set<EvaluationJudgment>();
    public DbSet<PairTextFacts> PairTextFacts => Set<PairTextFacts>();
    public DbSet<PairVoteSummary> PairVoteSummaries => Set<PairVoteSummary>();
    public DbSet<JudgingDay> JudgingDays => Set<JudgingDay>();
    public DbSet<JudgingPace> JudgingPaces => Set<JudgingPace>();
    public DbSet<PositionSwapTally> PositionSwapTallies => Set<PositionSwapTally>();
    public DbSet<StatisticsWatermark> StatisticsWatermarks => Set<StatisticsWatermark>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AnnotateDbContext).Assembly);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RefuseChangedPairTexts();
        SearchColumns.Refresh(ChangeTracker);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RefuseChangedPairTexts();
        SearchColumns.Refresh(ChangeTracker);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>
    /// A pair's responses are what its judgments judged, and <see cref="Statistics.PairTextFacts"/> are stored from
    /// them once: a better answer is a new pair (<see cref="Curation.PairRewriter"/>), never an edit.
    /// </summary>
    private void RefuseChangedPairTexts()
    {
        foreach (var entry in ChangeTracker.Entries<PreferencePair>().Where(e => e.State == EntityState.Modified))
        {
            if (entry.ComplexProperty(p => p.ResponseA).Property(r => r.Text).IsModified
                || entry.ComplexProperty(p => p.ResponseB).Property(r => r.Text).IsModified)
                throw new InvalidOperationException(
                    $"Pair '{entry.Entity.Key}': a response's text cannot change once stored; write the better answer as a new pair.");
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name so that the database reads the same as the files we export.
        configurationBuilder.Properties<SftStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<ResponseOrigin>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<Verdict>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<VerdictStrength>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<ShownOrder>().HaveConversion<string>().HaveMaxLength(4);
        configurationBuilder.Properties<PairOutcome>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<DatasetSplit>().HaveConversion<string>().HaveMaxLength(8);
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<List<ChatMessage>>().HaveConversion<JsonColumnConverter<List<ChatMessage>>, ImmutableElementListComparer<ChatMessage>>();
        configurationBuilder.Properties<List<string>>().HaveConversion<JsonColumnConverter<List<string>>, ImmutableElementListComparer<string>>();
    }
}

public sealed class SqliteAnnotateDbContext(DbContextOptions<SqliteAnnotateDbContext> options) : AnnotateDbContext(options);

public sealed class PostgresAnnotateDbContext(DbContextOptions<PostgresAnnotateDbContext> options) : AnnotateDbContext(options);
