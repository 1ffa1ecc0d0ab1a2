using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnotateDpo.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SftAuthoring : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ReviewedAt",
                table: "SftExamples",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReviewedBy",
                table: "SftExamples",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "StarterPrompt",
                table: "Categories",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_SftExamples_WorkspaceId_AuthorId_UpdatedAt",
                table: "SftExamples",
                columns: new[] { "WorkspaceId", "AuthorId", "UpdatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SftExamples_WorkspaceId_Status_UpdatedAt",
                table: "SftExamples",
                columns: new[] { "WorkspaceId", "Status", "UpdatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SftExamples_WorkspaceId_AuthorId_UpdatedAt",
                table: "SftExamples");

            migrationBuilder.DropIndex(
                name: "IX_SftExamples_WorkspaceId_Status_UpdatedAt",
                table: "SftExamples");

            migrationBuilder.DropColumn(
                name: "ReviewedAt",
                table: "SftExamples");

            migrationBuilder.DropColumn(
                name: "ReviewedBy",
                table: "SftExamples");

            migrationBuilder.DropColumn(
                name: "StarterPrompt",
                table: "Categories");
        }
    }
}
