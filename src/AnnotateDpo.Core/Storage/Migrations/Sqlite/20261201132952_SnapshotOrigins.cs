using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnotateDpo.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SnapshotOrigins : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ChosenOrigin",
                table: "SnapshotPairItems",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "Human");

            migrationBuilder.AddColumn<string>(
                name: "RejectedOrigin",
                table: "SnapshotPairItems",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "Human");

            // Earlier snapshots: each item's origins from its source pair, by which response its chosen text is.
            foreach (var (column, side) in new[] { ("ChosenOrigin", "Chosen"), ("RejectedOrigin", "Rejected") })
            {
                migrationBuilder.Sql($"""
                    UPDATE "SnapshotPairItems" SET "{column}" = COALESCE((
                        SELECT CASE WHEN p."ResponseA_Text" = "SnapshotPairItems"."{side}" THEN p."ResponseA_Origin" ELSE p."ResponseB_Origin" END
                        FROM "PreferencePairs" p JOIN "Snapshots" s ON s."WorkspaceId" = p."WorkspaceId"
                        WHERE s."Id" = "SnapshotPairItems"."SnapshotId" AND p."Key" = "SnapshotPairItems"."SourceKey"), 'Human')
                    """);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ChosenOrigin",
                table: "SnapshotPairItems");

            migrationBuilder.DropColumn(
                name: "RejectedOrigin",
                table: "SnapshotPairItems");
        }
    }
}
