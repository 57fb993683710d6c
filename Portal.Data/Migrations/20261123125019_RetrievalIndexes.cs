using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;

#nullable disable

namespace Portal.Data.Migrations
{
    /// <inheritdoc />
    public partial class RetrievalIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_knowledge_chunks_question_trgm",
                table: "knowledge_chunks");

            migrationBuilder.DropIndex(
                name: "ix_knowledge_chunks_search_vector",
                table: "knowledge_chunks");

            migrationBuilder.DropIndex(
                name: "ix_knowledge_chunks_text_trgm",
                table: "knowledge_chunks");

            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:btree_gin", ",,")
                .Annotation("Npgsql:PostgresExtension:btree_gist", ",,")
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:btree_gist", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.AddColumn<NpgsqlTsVector>(
                name: "title_vector",
                table: "knowledge_chunks",
                type: "tsvector",
                nullable: true,
                computedColumnSql: "to_tsvector('english'::regconfig, coalesce(question, '') || ' ' || coalesce(heading, ''))",
                stored: true);

            migrationBuilder.CreateIndex(
                name: "ix_knowledge_chunks_tenant_question_trgm",
                table: "knowledge_chunks",
                columns: new[] { "tenant_id", "question" })
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "uuid_ops", "gin_trgm_ops" })
                .Annotation("Npgsql:StorageParameter:fastupdate", false);

            migrationBuilder.CreateIndex(
                name: "ix_knowledge_chunks_tenant_search_vector",
                table: "knowledge_chunks",
                columns: new[] { "tenant_id", "search_vector" })
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:StorageParameter:fastupdate", false);

            migrationBuilder.CreateIndex(
                name: "ix_knowledge_chunks_tenant_title_vector",
                table: "knowledge_chunks",
                columns: new[] { "tenant_id", "title_vector" })
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:StorageParameter:fastupdate", false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_knowledge_chunks_tenant_question_trgm",
                table: "knowledge_chunks");

            migrationBuilder.DropIndex(
                name: "ix_knowledge_chunks_tenant_search_vector",
                table: "knowledge_chunks");

            migrationBuilder.DropIndex(
                name: "ix_knowledge_chunks_tenant_title_vector",
                table: "knowledge_chunks");

            migrationBuilder.DropColumn(
                name: "title_vector",
                table: "knowledge_chunks");

            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:btree_gist", ",,")
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:btree_gin", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:btree_gist", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.CreateIndex(
                name: "ix_knowledge_chunks_question_trgm",
                table: "knowledge_chunks",
                column: "question")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_knowledge_chunks_search_vector",
                table: "knowledge_chunks",
                column: "search_vector")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_knowledge_chunks_text_trgm",
                table: "knowledge_chunks",
                column: "text")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });
        }
    }
}
