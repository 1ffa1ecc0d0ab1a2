using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AnnotateDpo.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Evaluation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ResponseA_Settings",
                table: "PreferencePairs",
                type: "TEXT",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResponseB_Settings",
                table: "PreferencePairs",
                type: "TEXT",
                maxLength: 400,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Evaluations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<long>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SnapshotId = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    MaxNewTokens = table.Column<int>(type: "INTEGER", nullable: false),
                    Temperature = table.Column<double>(type: "REAL", nullable: false),
                    TopP = table.Column<double>(type: "REAL", nullable: false),
                    Seed = table.Column<int>(type: "INTEGER", nullable: false),
                    GeneratedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Evaluations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Evaluations_Snapshots_SnapshotId",
                        column: x => x.SnapshotId,
                        principalTable: "Snapshots",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_Evaluations_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "HeldOutPrompts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<long>(type: "INTEGER", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Prompt = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HeldOutPrompts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_HeldOutPrompts_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "EvaluationItems",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EvaluationId = table.Column<long>(type: "INTEGER", nullable: false),
                    Ordinal = table.Column<int>(type: "INTEGER", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Prompt = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvaluationItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EvaluationItems_Evaluations_EvaluationId",
                        column: x => x.EvaluationId,
                        principalTable: "Evaluations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "EvaluationModels",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EvaluationId = table.Column<long>(type: "INTEGER", nullable: false),
                    Ordinal = table.Column<int>(type: "INTEGER", nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Path = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvaluationModels", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EvaluationModels_Evaluations_EvaluationId",
                        column: x => x.EvaluationId,
                        principalTable: "Evaluations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "EvaluationAnswers",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ItemId = table.Column<long>(type: "INTEGER", nullable: false),
                    ModelId = table.Column<long>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", nullable: false),
                    TokenCount = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvaluationAnswers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EvaluationAnswers_EvaluationItems_ItemId",
                        column: x => x.ItemId,
                        principalTable: "EvaluationItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_EvaluationAnswers_EvaluationModels_ModelId",
                        column: x => x.ModelId,
                        principalTable: "EvaluationModels",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "EvaluationJudgments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EvaluationId = table.Column<long>(type: "INTEGER", nullable: false),
                    ItemId = table.Column<long>(type: "INTEGER", nullable: false),
                    LeftModelId = table.Column<long>(type: "INTEGER", nullable: false),
                    RightModelId = table.Column<long>(type: "INTEGER", nullable: false),
                    AnnotatorId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Verdict = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    SecondsSpent = table.Column<double>(type: "REAL", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    PoolPairId = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvaluationJudgments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EvaluationJudgments_EvaluationItems_ItemId",
                        column: x => x.ItemId,
                        principalTable: "EvaluationItems",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_EvaluationJudgments_EvaluationModels_LeftModelId",
                        column: x => x.LeftModelId,
                        principalTable: "EvaluationModels",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_EvaluationJudgments_EvaluationModels_RightModelId",
                        column: x => x.RightModelId,
                        principalTable: "EvaluationModels",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_EvaluationJudgments_Evaluations_EvaluationId",
                        column: x => x.EvaluationId,
                        principalTable: "Evaluations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_EvaluationJudgments_PreferencePairs_PoolPairId",
                        column: x => x.PoolPairId,
                        principalTable: "PreferencePairs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "IX_EvaluationAnswers_ItemId_ModelId",
                table: "EvaluationAnswers",
                columns: new[] { "ItemId", "ModelId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EvaluationAnswers_ModelId",
                table: "EvaluationAnswers",
                column: "ModelId");

            migrationBuilder.CreateIndex(
                name: "IX_EvaluationItems_EvaluationId_Ordinal",
                table: "EvaluationItems",
                columns: new[] { "EvaluationId", "Ordinal" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EvaluationJudgments_EvaluationId_AnnotatorId",
                table: "EvaluationJudgments",
                columns: new[] { "EvaluationId", "AnnotatorId" });

            migrationBuilder.CreateIndex(
                name: "IX_EvaluationJudgments_ItemId",
                table: "EvaluationJudgments",
                column: "ItemId");

            migrationBuilder.CreateIndex(
                name: "IX_EvaluationJudgments_LeftModelId",
                table: "EvaluationJudgments",
                column: "LeftModelId");

            migrationBuilder.CreateIndex(
                name: "IX_EvaluationJudgments_PoolPairId",
                table: "EvaluationJudgments",
                column: "PoolPairId");

            migrationBuilder.CreateIndex(
                name: "IX_EvaluationJudgments_RightModelId",
                table: "EvaluationJudgments",
                column: "RightModelId");

            migrationBuilder.CreateIndex(
                name: "IX_EvaluationModels_EvaluationId_Label",
                table: "EvaluationModels",
                columns: new[] { "EvaluationId", "Label" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EvaluationModels_EvaluationId_Ordinal",
                table: "EvaluationModels",
                columns: new[] { "EvaluationId", "Ordinal" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Evaluations_SnapshotId",
                table: "Evaluations",
                column: "SnapshotId");

            migrationBuilder.CreateIndex(
                name: "IX_Evaluations_WorkspaceId",
                table: "Evaluations",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_HeldOutPrompts_WorkspaceId_Key",
                table: "HeldOutPrompts",
                columns: new[] { "WorkspaceId", "Key" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EvaluationAnswers");

            migrationBuilder.DropTable(
                name: "EvaluationJudgments");

            migrationBuilder.DropTable(
                name: "HeldOutPrompts");

            migrationBuilder.DropTable(
                name: "EvaluationItems");

            migrationBuilder.DropTable(
                name: "EvaluationModels");

            migrationBuilder.DropTable(
                name: "Evaluations");

            migrationBuilder.DropColumn(
                name: "ResponseA_Settings",
                table: "PreferencePairs");

            migrationBuilder.DropColumn(
                name: "ResponseB_Settings",
                table: "PreferencePairs");
        }
    }
}
