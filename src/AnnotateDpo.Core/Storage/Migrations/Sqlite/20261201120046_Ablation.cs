using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnotateDpo.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Ablation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AblationId",
                table: "TrainingRuns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_TrainingRuns_AblationId",
                table: "TrainingRuns",
                column: "AblationId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TrainingRuns_AblationId",
                table: "TrainingRuns");

            migrationBuilder.DropColumn(
                name: "AblationId",
                table: "TrainingRuns");
        }
    }
}
