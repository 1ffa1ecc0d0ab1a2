using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnotateDpo.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class StatisticsFold : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "JudgingDays",
                columns: table => new
                {
                    WorkspaceId = table.Column<long>(type: "bigint", nullable: false),
                    AnnotatorId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Judgments = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JudgingDays", x => new { x.WorkspaceId, x.AnnotatorId, x.Day });
                    table.ForeignKey(
                        name: "FK_JudgingDays_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "JudgingPaces",
                columns: table => new
                {
                    WorkspaceId = table.Column<long>(type: "bigint", nullable: false),
                    AnnotatorId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Bucket = table.Column<int>(type: "integer", nullable: false),
                    Judgments = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JudgingPaces", x => new { x.WorkspaceId, x.AnnotatorId, x.Bucket });
                    table.ForeignKey(
                        name: "FK_JudgingPaces_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PairVoteSummaries",
                columns: table => new
                {
                    PairId = table.Column<long>(type: "bigint", nullable: false),
                    WorkspaceId = table.Column<long>(type: "bigint", nullable: false),
                    CategoryId = table.Column<long>(type: "bigint", nullable: true),
                    OriginA = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    OriginB = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    HasFinal = table.Column<bool>(type: "boolean", nullable: false),
                    VoteSet = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PairVoteSummaries", x => x.PairId);
                    table.ForeignKey(
                        name: "FK_PairVoteSummaries_Categories_CategoryId",
                        column: x => x.CategoryId,
                        principalTable: "Categories",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_PairVoteSummaries_PreferencePairs_PairId",
                        column: x => x.PairId,
                        principalTable: "PreferencePairs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PositionSwapTallies",
                columns: table => new
                {
                    WorkspaceId = table.Column<long>(type: "bigint", nullable: false),
                    Repeats = table.Column<int>(type: "integer", nullable: false),
                    Consistent = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PositionSwapTallies", x => x.WorkspaceId);
                    table.ForeignKey(
                        name: "FK_PositionSwapTallies_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "StatisticsWatermarks",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    JudgmentId = table.Column<long>(type: "bigint", nullable: false),
                    Judgments = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StatisticsWatermarks", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "StatisticsWatermarks",
                columns: new[] { "Id", "JudgmentId", "Judgments" },
                values: new object[] { 1, 0L, 0L });

            migrationBuilder.CreateIndex(
                name: "IX_PairTextFacts_Report",
                table: "PairTextFacts",
                columns: new[] { "Tokenizer", "PairId", "CharactersA", "CharactersB", "TokensA", "TokensB", "EditDistance" });

            migrationBuilder.CreateIndex(
                name: "IX_Judgments_Pace",
                table: "Judgments",
                columns: new[] { "SecondsSpent", "AnnotatorId", "IsFinal", "PairId" });

            migrationBuilder.CreateIndex(
                name: "IX_PairVoteSummaries_CategoryId",
                table: "PairVoteSummaries",
                column: "CategoryId");

            migrationBuilder.CreateIndex(
                name: "IX_PairVoteSummaries_Outcomes",
                table: "PairVoteSummaries",
                columns: new[] { "WorkspaceId", "CategoryId", "OriginA", "OriginB", "Outcome" });

            migrationBuilder.CreateIndex(
                name: "IX_PairVoteSummaries_WorkspaceId_VoteSet",
                table: "PairVoteSummaries",
                columns: new[] { "WorkspaceId", "VoteSet" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "JudgingDays");

            migrationBuilder.DropTable(
                name: "JudgingPaces");

            migrationBuilder.DropTable(
                name: "PairVoteSummaries");

            migrationBuilder.DropTable(
                name: "PositionSwapTallies");

            migrationBuilder.DropTable(
                name: "StatisticsWatermarks");

            migrationBuilder.DropIndex(
                name: "IX_PairTextFacts_Report",
                table: "PairTextFacts");

            migrationBuilder.DropIndex(
                name: "IX_Judgments_Pace",
                table: "Judgments");
        }
    }
}
