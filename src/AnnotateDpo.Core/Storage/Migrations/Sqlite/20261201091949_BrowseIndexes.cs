using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnotateDpo.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BrowseIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SearchTags",
                table: "SftExamples",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SearchText",
                table: "SftExamples",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SearchTags",
                table: "PreferencePairs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SearchText",
                table: "PreferencePairs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_SftExamples_WorkspaceId_AuthorId",
                table: "SftExamples",
                columns: new[] { "WorkspaceId", "AuthorId" });

            migrationBuilder.CreateIndex(
                name: "IX_SftExamples_WorkspaceId_CreatedAt",
                table: "SftExamples",
                columns: new[] { "WorkspaceId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PreferencePairs_WorkspaceId_AuthorId",
                table: "PreferencePairs",
                columns: new[] { "WorkspaceId", "AuthorId" });

            migrationBuilder.CreateIndex(
                name: "IX_PreferencePairs_WorkspaceId_CreatedAt",
                table: "PreferencePairs",
                columns: new[] { "WorkspaceId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SftExamples_WorkspaceId_AuthorId",
                table: "SftExamples");

            migrationBuilder.DropIndex(
                name: "IX_SftExamples_WorkspaceId_CreatedAt",
                table: "SftExamples");

            migrationBuilder.DropIndex(
                name: "IX_PreferencePairs_WorkspaceId_AuthorId",
                table: "PreferencePairs");

            migrationBuilder.DropIndex(
                name: "IX_PreferencePairs_WorkspaceId_CreatedAt",
                table: "PreferencePairs");

            migrationBuilder.DropColumn(
                name: "SearchTags",
                table: "SftExamples");

            migrationBuilder.DropColumn(
                name: "SearchText",
                table: "SftExamples");

            migrationBuilder.DropColumn(
                name: "SearchTags",
                table: "PreferencePairs");

            migrationBuilder.DropColumn(
                name: "SearchText",
                table: "PreferencePairs");
        }
    }
}
