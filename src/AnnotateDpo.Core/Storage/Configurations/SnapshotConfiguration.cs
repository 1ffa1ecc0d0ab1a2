using AnnotateDpo.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnotateDpo.Core.Storage.Configurations;

internal sealed class SnapshotConfiguration : IEntityTypeConfiguration<DatasetSnapshot>
{
    public void Configure(EntityTypeBuilder<DatasetSnapshot> builder)
    {
        builder.ToTable("Snapshots");
        builder.Property(s => s.ContentHash).HasMaxLength(64);
        builder.Property(s => s.CreatedBy).HasMaxLength(200);
        builder.HasIndex(s => new { s.WorkspaceId, s.ContentHash });
        builder.HasOne<Workspace>().WithMany().HasForeignKey(s => s.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(s => s.SftItems).WithOne().HasForeignKey(i => i.SnapshotId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(s => s.PairItems).WithOne().HasForeignKey(i => i.SnapshotId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SnapshotSftItemConfiguration : IEntityTypeConfiguration<SnapshotSftItem>
{
    public void Configure(EntityTypeBuilder<SnapshotSftItem> builder)
    {
        builder.HasIndex(i => new { i.SnapshotId, i.Ordinal }).IsUnique();
        builder.Property(i => i.SourceKey).HasMaxLength(200);
    }
}

internal sealed class SnapshotPairItemConfiguration : IEntityTypeConfiguration<SnapshotPairItem>
{
    public void Configure(EntityTypeBuilder<SnapshotPairItem> builder)
    {
        builder.HasIndex(i => new { i.SnapshotId, i.Ordinal }).IsUnique();
        builder.Property(i => i.SourceKey).HasMaxLength(200);
    }
}
