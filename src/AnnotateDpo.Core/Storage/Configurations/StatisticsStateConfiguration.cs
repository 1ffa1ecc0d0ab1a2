using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Statistics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnotateDpo.Core.Storage.Configurations;

internal sealed class PairVoteSummaryConfiguration : IEntityTypeConfiguration<PairVoteSummary>
{
    public void Configure(EntityTypeBuilder<PairVoteSummary> builder)
    {
        builder.ToTable("PairVoteSummaries");
        builder.HasKey(s => s.PairId);
        builder.Property(s => s.PairId).ValueGeneratedNever();
        // The agreement figures group a workspace's vote sets, and the counts its outcomes, each from an index alone.
        builder.HasIndex(s => new { s.WorkspaceId, s.VoteSet });
        builder.HasIndex(s => new { s.WorkspaceId, s.CategoryId, s.OriginA, s.OriginB, s.Outcome }).HasDatabaseName("IX_PairVoteSummaries_Outcomes");
        builder.HasOne<PreferencePair>().WithMany().HasForeignKey(s => s.PairId).OnDelete(DeleteBehavior.Cascade);
        // The copy of the pair's category follows the pair's own key, which a deleted category sets to null.
        builder.HasOne<Category>().WithMany().HasForeignKey(s => s.CategoryId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class JudgingDayConfiguration : IEntityTypeConfiguration<JudgingDay>
{
    public void Configure(EntityTypeBuilder<JudgingDay> builder)
    {
        builder.ToTable("JudgingDays");
        builder.HasKey(d => new { d.WorkspaceId, d.AnnotatorId, d.Day });
        builder.Property(d => d.AnnotatorId).HasMaxLength(200);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(d => d.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class JudgingPaceConfiguration : IEntityTypeConfiguration<JudgingPace>
{
    public void Configure(EntityTypeBuilder<JudgingPace> builder)
    {
        builder.ToTable("JudgingPaces");
        builder.HasKey(p => new { p.WorkspaceId, p.AnnotatorId, p.Bucket });
        builder.Property(p => p.AnnotatorId).HasMaxLength(200);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(p => p.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PositionSwapTallyConfiguration : IEntityTypeConfiguration<PositionSwapTally>
{
    public void Configure(EntityTypeBuilder<PositionSwapTally> builder)
    {
        builder.ToTable("PositionSwapTallies");
        builder.HasKey(t => t.WorkspaceId);
        builder.Property(t => t.WorkspaceId).ValueGeneratedNever();
        builder.HasOne<Workspace>().WithMany().HasForeignKey(t => t.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StatisticsWatermarkConfiguration : IEntityTypeConfiguration<StatisticsWatermark>
{
    public void Configure(EntityTypeBuilder<StatisticsWatermark> builder)
    {
        builder.ToTable("StatisticsWatermarks");
        builder.Property(w => w.Id).ValueGeneratedNever();
        // Nothing folded yet: the first statistics read folds every judgment already there.
        builder.HasData(new StatisticsWatermark { Id = StatisticsWatermark.SingleId, JudgmentId = 0, Judgments = 0 });
    }
}
