using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using AnnotateDpo.Core.Domain;

namespace AnnotateDpo.Core.Evaluation;

internal sealed class HeldOutPromptConfiguration : IEntityTypeConfiguration<HeldOutPrompt>
{
    public void Configure(EntityTypeBuilder<HeldOutPrompt> builder)
    {
        builder.Property(p => p.Key).HasMaxLength(200);
        builder.Property(p => p.Category).HasMaxLength(200);
        builder.Property(p => p.CreatedBy).HasMaxLength(200);
        builder.HasIndex(p => new { p.WorkspaceId, p.Key }).IsUnique();
        builder.HasOne<Workspace>().WithMany().HasForeignKey(p => p.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ModelEvaluationConfiguration : IEntityTypeConfiguration<ModelEvaluation>
{
    public void Configure(EntityTypeBuilder<ModelEvaluation> builder)
    {
        builder.ToTable("Evaluations");
        builder.Property(e => e.Name).HasMaxLength(200);
        builder.Property(e => e.CreatedBy).HasMaxLength(200);
        builder.HasIndex(e => e.WorkspaceId);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(e => e.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<DatasetSnapshot>().WithMany().HasForeignKey(e => e.SnapshotId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(e => e.Models).WithOne().HasForeignKey(m => m.EvaluationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(e => e.Items).WithOne().HasForeignKey(i => i.EvaluationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EvaluatedModelConfiguration : IEntityTypeConfiguration<EvaluatedModel>
{
    public void Configure(EntityTypeBuilder<EvaluatedModel> builder)
    {
        builder.ToTable("EvaluationModels");
        builder.Property(m => m.Label).HasMaxLength(200);
        builder.Property(m => m.Path).HasMaxLength(1000);
        builder.HasIndex(m => new { m.EvaluationId, m.Ordinal }).IsUnique();
        builder.HasIndex(m => new { m.EvaluationId, m.Label }).IsUnique();
    }
}

internal sealed class EvaluationItemConfiguration : IEntityTypeConfiguration<EvaluationItem>
{
    public void Configure(EntityTypeBuilder<EvaluationItem> builder)
    {
        builder.ToTable("EvaluationItems");
        builder.Property(i => i.Source).HasMaxLength(300);
        builder.Property(i => i.Category).HasMaxLength(200);
        builder.HasIndex(i => new { i.EvaluationId, i.Ordinal }).IsUnique();
        builder.HasMany(i => i.Answers).WithOne().HasForeignKey(a => a.ItemId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EvaluationAnswerConfiguration : IEntityTypeConfiguration<EvaluationAnswer>
{
    public void Configure(EntityTypeBuilder<EvaluationAnswer> builder)
    {
        builder.ToTable("EvaluationAnswers");
        builder.HasIndex(a => new { a.ItemId, a.ModelId }).IsUnique();
        builder.HasOne<EvaluatedModel>().WithMany().HasForeignKey(a => a.ModelId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EvaluationJudgmentConfiguration : IEntityTypeConfiguration<EvaluationJudgment>
{
    public void Configure(EntityTypeBuilder<EvaluationJudgment> builder)
    {
        builder.ToTable("EvaluationJudgments");
        builder.Property(j => j.AnnotatorId).HasMaxLength(200);
        builder.Property(j => j.Verdict).HasConversion<string>().HasMaxLength(8);
        builder.HasIndex(j => new { j.EvaluationId, j.AnnotatorId });
        builder.HasOne<ModelEvaluation>().WithMany().HasForeignKey(j => j.EvaluationId).OnDelete(DeleteBehavior.Cascade);
        // Items and models go with their evaluation, whose cascade removes the judgments; a second path would be refused by some providers.
        builder.HasOne<EvaluationItem>().WithMany().HasForeignKey(j => j.ItemId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<EvaluatedModel>().WithMany().HasForeignKey(j => j.LeftModelId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<EvaluatedModel>().WithMany().HasForeignKey(j => j.RightModelId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<PreferencePair>().WithMany().HasForeignKey(j => j.PoolPairId).OnDelete(DeleteBehavior.SetNull);
    }
}
