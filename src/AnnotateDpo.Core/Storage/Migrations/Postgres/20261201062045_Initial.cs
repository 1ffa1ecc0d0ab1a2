using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace AnnotateDpo.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Workspaces",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Language = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Guidelines = table.Column<string>(type: "text", nullable: false),
                    OverlapTarget = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Workspaces", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Categories",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    WorkspaceId = table.Column<long>(type: "bigint", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "text", nullable: false),
                    SftTarget = table.Column<int>(type: "integer", nullable: false),
                    PairTarget = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Categories", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Categories_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Snapshots",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    WorkspaceId = table.Column<long>(type: "bigint", nullable: false),
                    ContentHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    EvalFraction = table.Column<double>(type: "double precision", nullable: false),
                    Seed = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ExcludedTies = table.Column<int>(type: "integer", nullable: false),
                    ExcludedBothBad = table.Column<int>(type: "integer", nullable: false),
                    ExcludedDisagreements = table.Column<int>(type: "integer", nullable: false),
                    ExcludedUnjudged = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Snapshots", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Snapshots_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PreferencePairs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    WorkspaceId = table.Column<long>(type: "bigint", nullable: false),
                    Key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CategoryId = table.Column<long>(type: "bigint", nullable: true),
                    Prompt = table.Column<string>(type: "text", nullable: false),
                    Tags = table.Column<string>(type: "text", nullable: false),
                    AuthorId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    SourceFile = table.Column<string>(type: "text", nullable: true),
                    SourceLine = table.Column<int>(type: "integer", nullable: true),
                    ContentHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ResponseA_EditedFromPairKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ResponseA_Model = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ResponseA_Origin = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ResponseA_Run = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ResponseA_Text = table.Column<string>(type: "text", nullable: false),
                    ResponseB_EditedFromPairKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ResponseB_Model = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ResponseB_Origin = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ResponseB_Run = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ResponseB_Text = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PreferencePairs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PreferencePairs_Categories_CategoryId",
                        column: x => x.CategoryId,
                        principalTable: "Categories",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_PreferencePairs_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SftExamples",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    WorkspaceId = table.Column<long>(type: "bigint", nullable: false),
                    Key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CategoryId = table.Column<long>(type: "bigint", nullable: true),
                    Messages = table.Column<string>(type: "text", nullable: false),
                    Tags = table.Column<string>(type: "text", nullable: false),
                    AuthorId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ReviewComment = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    SourceFile = table.Column<string>(type: "text", nullable: true),
                    SourceLine = table.Column<int>(type: "integer", nullable: true),
                    ContentHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SftExamples", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SftExamples_Categories_CategoryId",
                        column: x => x.CategoryId,
                        principalTable: "Categories",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_SftExamples_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SnapshotPairItems",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SnapshotId = table.Column<long>(type: "bigint", nullable: false),
                    Ordinal = table.Column<int>(type: "integer", nullable: false),
                    Split = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    SourceKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Category = table.Column<string>(type: "text", nullable: true),
                    Prompt = table.Column<string>(type: "text", nullable: false),
                    Chosen = table.Column<string>(type: "text", nullable: false),
                    Rejected = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SnapshotPairItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SnapshotPairItems_Snapshots_SnapshotId",
                        column: x => x.SnapshotId,
                        principalTable: "Snapshots",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SnapshotSftItems",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SnapshotId = table.Column<long>(type: "bigint", nullable: false),
                    Ordinal = table.Column<int>(type: "integer", nullable: false),
                    Split = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    SourceKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Category = table.Column<string>(type: "text", nullable: true),
                    Messages = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SnapshotSftItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SnapshotSftItems_Snapshots_SnapshotId",
                        column: x => x.SnapshotId,
                        principalTable: "Snapshots",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Judgments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    PairId = table.Column<long>(type: "bigint", nullable: false),
                    AnnotatorId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Verdict = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Strength = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Rationale = table.Column<string>(type: "text", nullable: true),
                    ShownOrder = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    SecondsSpent = table.Column<double>(type: "double precision", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    SupersedesId = table.Column<long>(type: "bigint", nullable: true),
                    IsFinal = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Judgments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Judgments_Judgments_SupersedesId",
                        column: x => x.SupersedesId,
                        principalTable: "Judgments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Judgments_PreferencePairs_PairId",
                        column: x => x.PairId,
                        principalTable: "PreferencePairs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Categories_WorkspaceId_Name",
                table: "Categories",
                columns: new[] { "WorkspaceId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Judgments_AnnotatorId_CreatedAt",
                table: "Judgments",
                columns: new[] { "AnnotatorId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Judgments_PairId_AnnotatorId_Id",
                table: "Judgments",
                columns: new[] { "PairId", "AnnotatorId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Judgments_PairId_Key",
                table: "Judgments",
                columns: new[] { "PairId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Judgments_SupersedesId",
                table: "Judgments",
                column: "SupersedesId");

            migrationBuilder.CreateIndex(
                name: "IX_PreferencePairs_CategoryId",
                table: "PreferencePairs",
                column: "CategoryId");

            migrationBuilder.CreateIndex(
                name: "IX_PreferencePairs_WorkspaceId_CategoryId",
                table: "PreferencePairs",
                columns: new[] { "WorkspaceId", "CategoryId" });

            migrationBuilder.CreateIndex(
                name: "IX_PreferencePairs_WorkspaceId_ContentHash",
                table: "PreferencePairs",
                columns: new[] { "WorkspaceId", "ContentHash" });

            migrationBuilder.CreateIndex(
                name: "IX_PreferencePairs_WorkspaceId_Key",
                table: "PreferencePairs",
                columns: new[] { "WorkspaceId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SftExamples_CategoryId",
                table: "SftExamples",
                column: "CategoryId");

            migrationBuilder.CreateIndex(
                name: "IX_SftExamples_WorkspaceId_CategoryId_Status",
                table: "SftExamples",
                columns: new[] { "WorkspaceId", "CategoryId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_SftExamples_WorkspaceId_ContentHash",
                table: "SftExamples",
                columns: new[] { "WorkspaceId", "ContentHash" });

            migrationBuilder.CreateIndex(
                name: "IX_SftExamples_WorkspaceId_Key",
                table: "SftExamples",
                columns: new[] { "WorkspaceId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SnapshotPairItems_SnapshotId_Ordinal",
                table: "SnapshotPairItems",
                columns: new[] { "SnapshotId", "Ordinal" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Snapshots_WorkspaceId_ContentHash",
                table: "Snapshots",
                columns: new[] { "WorkspaceId", "ContentHash" });

            migrationBuilder.CreateIndex(
                name: "IX_SnapshotSftItems_SnapshotId_Ordinal",
                table: "SnapshotSftItems",
                columns: new[] { "SnapshotId", "Ordinal" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Workspaces_Name",
                table: "Workspaces",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Judgments");

            migrationBuilder.DropTable(
                name: "SftExamples");

            migrationBuilder.DropTable(
                name: "SnapshotPairItems");

            migrationBuilder.DropTable(
                name: "SnapshotSftItems");

            migrationBuilder.DropTable(
                name: "PreferencePairs");

            migrationBuilder.DropTable(
                name: "Snapshots");

            migrationBuilder.DropTable(
                name: "Categories");

            migrationBuilder.DropTable(
                name: "Workspaces");
        }
    }
}
