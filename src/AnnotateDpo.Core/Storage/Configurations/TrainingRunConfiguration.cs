using AnnotateDpo.Core.Domain;
using AnnotateDpo.Core.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnotateDpo.Core.Storage.Configurations;

internal sealed class TrainingRunConfiguration : IEntityTypeConfiguration<TrainingRun>
{
    public void Configure(EntityTypeBuilder<TrainingRun> builder)
    {
        builder.ToTable("TrainingRuns");
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Preset).HasMaxLength(32);
        builder.Property(r => r.RequestedBy).HasMaxLength(256);
        builder.Property(r => r.RunKey).HasMaxLength(64);
        builder.Property(r => r.RunFolder).HasMaxLength(1024);
        builder.HasIndex(r => r.State);
        builder.HasIndex(r => r.AblationId);
        builder.HasIndex(r => new { r.WorkspaceId, r.CreatedAt });
        builder.HasOne<Workspace>().WithMany().HasForeignKey(r => r.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        // No cascade from the snapshot: a run keeps its data's provenance; the workspace's cascade removes both together.
        builder.HasOne<DatasetSnapshot>().WithMany().HasForeignKey(r => r.SnapshotId).OnDelete(DeleteBehavior.NoAction);
    }
}
