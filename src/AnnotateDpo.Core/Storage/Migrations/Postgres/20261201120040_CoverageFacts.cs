using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnotateDpo.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CoverageFacts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Judgments_PairId_AnnotatorId_Id",
                table: "Judgments");

            migrationBuilder.CreateTable(
                name: "PairTextFacts",
                columns: table => new
                {
                    PairId = table.Column<long>(type: "bigint", nullable: false),
                    Tokenizer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CharactersA = table.Column<int>(type: "integer", nullable: false),
                    CharactersB = table.Column<int>(type: "integer", nullable: false),
                    TokensA = table.Column<int>(type: "integer", nullable: true),
                    TokensB = table.Column<int>(type: "integer", nullable: true),
                    EditDistance = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PairTextFacts", x => new { x.PairId, x.Tokenizer });
                    table.ForeignKey(
                        name: "FK_PairTextFacts_PreferencePairs_PairId",
                        column: x => x.PairId,
                        principalTable: "PreferencePairs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Judgments_PairId_AnnotatorId_IsFinal_Id",
                table: "Judgments",
                columns: new[] { "PairId", "AnnotatorId", "IsFinal", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PairTextFacts");

            migrationBuilder.DropIndex(
                name: "IX_Judgments_PairId_AnnotatorId_IsFinal_Id",
                table: "Judgments");

            migrationBuilder.CreateIndex(
                name: "IX_Judgments_PairId_AnnotatorId_Id",
                table: "Judgments",
                columns: new[] { "PairId", "AnnotatorId", "Id" });
        }
    }
}
