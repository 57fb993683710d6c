using System.Security.Cryptography;
using System.Text;
using NpgsqlTypes;

namespace Portal.Data.Entities;

/// <summary>
/// One source of a tenant's knowledge: an FAQ pair, an uploaded file or a website address. Files
/// and URLs are processed by a background job (queued → processing → ready or failed); FAQs are
/// ready at once with exactly one <see cref="KnowledgeChunk"/>. The retrievable text lives in the chunks.
/// </summary>
public sealed class KnowledgeDocument : TenantEntity
{
    /// <summary>Longest title (FAQ question, file name, page title), characters.</summary>
    public const int TitleMaxLength = 500;

    /// <summary>Longest FAQ answer, characters.</summary>
    public const int AnswerMaxLength = 4000;

    /// <summary>Longest source name (file name), characters.</summary>
    public const int SourceNameMaxLength = 260;

    /// <summary>Longest source URL, characters.</summary>
    public const int SourceUrlMaxLength = 2048;

    /// <summary>Longest content type (MIME), characters.</summary>
    public const int ContentTypeMaxLength = 128;

    /// <summary>Longest failure reason, characters.</summary>
    public const int ErrorMaxLength = 500;

    /// <summary>Length of a hex SHA-256 hash, characters.</summary>
    public const int HashLength = 64;

    /// <summary>Agent the document is limited to, or null for every agent of the tenant.</summary>
    public Guid? AgentPersonaId { get; set; }

    /// <summary>FAQ, file or URL.</summary>
    public KnowledgeKind Kind { get; set; }

    /// <summary>FAQ question, document title or page title.</summary>
    public string Title { get; set; } = "";

    /// <summary>Uploaded file name (files), null otherwise.</summary>
    public string? SourceName { get; set; }

    /// <summary>Absolute http(s) address (URL sources), null otherwise.</summary>
    public string? SourceUrl { get; set; }

    /// <summary>MIME type of the source ("text/markdown", "application/pdf"), when known.</summary>
    public string? ContentType { get; set; }

    /// <summary>Size of the source, bytes (FAQ: UTF-8 bytes of question and answer).</summary>
    public long SizeBytes { get; set; }

    /// <summary>Lower-case hex SHA-256 of the source bytes (FAQ: of "question\nanswer"; URL: of the address); unique per tenant so a re-upload is detected.</summary>
    public string ContentHash { get; set; } = "";

    /// <summary>Processing state.</summary>
    public KnowledgeStatus Status { get; set; } = KnowledgeStatus.Queued;

    /// <summary>Why processing failed, in words the owner understands; null unless <see cref="KnowledgeStatus.Failed"/>.</summary>
    public string? Error { get; set; }

    /// <summary>Processing progress, percent 0..100.</summary>
    public int Progress { get; set; }

    /// <summary>Chunks currently indexed.</summary>
    public int ChunkCount { get; set; }

    /// <summary>Pages read (PDF pages, crawled pages), 1 for other sources, 0 before processing.</summary>
    public int PageCount { get; set; }

    /// <summary>Indexed pieces of the document.</summary>
    public List<KnowledgeChunk> Chunks { get; set; } = [];

    /// <summary>Lower-case hex SHA-256 of <paramref name="bytes"/>.</summary>
    public static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>
    /// A ready FAQ document with its single chunk (question and answer trimmed). Throws
    /// <see cref="ArgumentException"/> when either is blank or longer than <see cref="TitleMaxLength"/> /
    /// <see cref="AnswerMaxLength"/>.
    /// </summary>
    public static KnowledgeDocument NewFaq(Guid tenantId, string question, string answer, Guid? agentPersonaId = null)
    {
        var doc = new KnowledgeDocument { TenantId = tenantId, AgentPersonaId = agentPersonaId, Kind = KnowledgeKind.Faq, ContentType = "text/plain" };
        doc.SetFaq(question, answer);
        return doc;
    }

    /// <summary>The answer of an FAQ document (its chunk's text), or null when the chunk is not loaded or this is no FAQ.</summary>
    public string? FaqAnswer => Kind == KnowledgeKind.Faq && Chunks.Count > 0 ? Chunks[0].Text : null;

    /// <summary>
    /// Replaces the question and answer of an FAQ document (its <see cref="Chunks"/> must be loaded):
    /// title, size, hash and the single chunk follow. Throws <see cref="ArgumentException"/> for a
    /// blank or over-long question or answer, <see cref="InvalidOperationException"/> for a non-FAQ.
    /// </summary>
    public void SetFaq(string question, string answer)
    {
        if (Kind != KnowledgeKind.Faq)
        {
            throw new InvalidOperationException("Only an FAQ has a question and answer.");
        }

        question = (question ?? "").Trim();
        answer = (answer ?? "").Trim();
        if (question.Length == 0 || question.Length > TitleMaxLength)
        {
            throw new ArgumentException($"The question must have 1 to {TitleMaxLength} characters.", nameof(question));
        }

        if (answer.Length == 0 || answer.Length > AnswerMaxLength)
        {
            throw new ArgumentException($"The answer must have 1 to {AnswerMaxLength} characters.", nameof(answer));
        }

        var bytes = Encoding.UTF8.GetBytes(question + "\n" + answer);
        Title = question;
        SizeBytes = bytes.Length;
        ContentHash = Hash(bytes);
        Status = KnowledgeStatus.Ready;
        Error = null;
        Progress = 100;
        PageCount = 1;
        ChunkCount = 1;
        var chunk = Chunks.Count > 0 ? Chunks[0] : new KnowledgeChunk { TenantId = TenantId, DocumentId = Id };
        chunk.Question = question;
        chunk.Text = answer;
        chunk.Heading = null;
        chunk.TokenCount = KnowledgeChunk.EstimateTokens(question + " " + answer);
        chunk.Embedding = null;
        chunk.EmbeddingModel = null;
        if (Chunks.Count == 0)
        {
            Chunks.Add(chunk);
        }
    }
}

/// <summary>
/// One indexed, quotable piece of a <see cref="KnowledgeDocument"/>. PostgreSQL keeps a generated
/// weighted <c>tsvector</c> (question and heading weight A, text weight B) with a tenant-leading GIN index, and a
/// tenant-leading trigram GIN index on the question; <see cref="Embedding"/> holds the dense vector when an
/// embedding provider is configured (<c>real[]</c>, see docs/decisions/ADR-009-vector-search-without-pgvector.md).
/// </summary>
public sealed class KnowledgeChunk : TenantEntity
{
    /// <summary>Longest heading path, characters.</summary>
    public const int HeadingMaxLength = 500;

    /// <summary>Longest embedding model name, characters.</summary>
    public const int ModelMaxLength = 100;

    /// <summary>The document this chunk belongs to.</summary>
    public Guid DocumentId { get; set; }

    /// <summary>0-based position in the document.</summary>
    public int Ordinal { get; set; }

    /// <summary>The text quoted to callers: a passage, or an FAQ's answer.</summary>
    public string Text { get; set; } = "";

    /// <summary>Heading path ("Prices › Cleaning"), or null.</summary>
    public string? Heading { get; set; }

    /// <summary>The question of a question/answer chunk, else null.</summary>
    public string? Question { get; set; }

    /// <summary>Tokens in question + text (chunker's tokenizer, or an estimate of 1 per 4 characters).</summary>
    public int TokenCount { get; set; }

    /// <summary>1-based source page, when known.</summary>
    public int? PageNumber { get; set; }

    /// <summary>Generated by PostgreSQL (see <see cref="KnowledgeSql.SearchVectorSql"/>); never written by the application.</summary>
    public NpgsqlTsVector? SearchVector { get; set; }

    /// <summary>
    /// Generated by PostgreSQL (see <see cref="KnowledgeSql.TitleVectorSql"/>): the question and heading alone, so retrieval can
    /// select chunks whose title has a word that thousands of passages contain without reading those passages; never written by the application.
    /// </summary>
    public NpgsqlTsVector? TitleVector { get; set; }

    /// <summary>Dense vector of question + heading + text (float4[]), null until embedded or when no embedding provider is configured.</summary>
    public float[]? Embedding { get; set; }

    /// <summary>Embedding model that produced <see cref="Embedding"/> (vectors of different models are never compared).</summary>
    public string? EmbeddingModel { get; set; }

    /// <summary>Rough token estimate (1 token ≈ 4 characters of English; OpenAI tokenizer guidance), at least 1.</summary>
    public static int EstimateTokens(string text) => Math.Max(1, (text.Length + 3) / 4);
}

/// <summary>
/// The original bytes of an uploaded file, kept so a re-index or a retry can read it again. Separate
/// from <see cref="KnowledgeDocument"/> so listing documents never loads file contents.
/// </summary>
public sealed class KnowledgeFile : TenantEntity
{
    /// <summary>The document (one file per file document).</summary>
    public Guid DocumentId { get; set; }

    /// <summary>File bytes, as uploaded.</summary>
    public byte[] Content { get; set; } = [];
}

/// <summary>
/// A question callers asked that the knowledge base could not answer, grouped by its normalized form
/// (lower case, punctuation and filler removed), so the owner sees what to add.
/// </summary>
public sealed class KnowledgeGap : TenantEntity
{
    /// <summary>Longest stored question, characters.</summary>
    public const int QuestionMaxLength = 500;

    /// <summary>Normalized question (grouping key, unique per tenant).</summary>
    public string NormalizedQuestion { get; set; } = "";

    /// <summary>The question as a caller last asked it.</summary>
    public string ExampleQuestion { get; set; } = "";

    /// <summary>How many times it was asked.</summary>
    public int Count { get; set; }

    /// <summary>When it was last asked (UTC).</summary>
    public DateTimeOffset LastAskedAt { get; set; }

    /// <summary>A conversation where it was asked, when known.</summary>
    public Guid? ExampleConversationId { get; set; }

    /// <summary>True once the owner added an answer (kept so the question is not shown again).</summary>
    public bool Resolved { get; set; }
}

/// <summary>
/// SQL the EF model cannot express by itself, kept beside the entities so configurations and
/// migrations use one definition.
/// </summary>
public static class KnowledgeSql
{
    /// <summary>
    /// The stored generated tsvector of a chunk: question and heading weight A, text weight B, English
    /// configuration (https://www.postgresql.org/docs/15/textsearch-controls.html#TEXTSEARCH-PARSING-DOCUMENTS).
    /// </summary>
    public const string SearchVectorSql =
        "setweight(to_tsvector('english'::regconfig, coalesce(question, '') || ' ' || coalesce(heading, '')), 'A') || setweight(to_tsvector('english'::regconfig, text), 'B')";

    /// <summary>The stored generated tsvector of a chunk's question and heading (English configuration), indexed with the tenant.</summary>
    public const string TitleVectorSql =
        "to_tsvector('english'::regconfig, coalesce(question, '') || ' ' || coalesce(heading, ''))";

    /// <summary>
    /// Moves rows of the former <c>knowledge_items</c> table (one per FAQ or text document) into
    /// documents, chunks and files: FAQs become ready documents with one chunk; text documents become
    /// queued file documents whose bytes are kept, so the resume job indexes them. Identical content
    /// within a tenant is kept once.
    /// </summary>
    public const string MigrateKnowledgeItemsSql = """
        INSERT INTO knowledge_documents (id, tenant_id, agent_persona_id, kind, title, source_name, source_url, content_type, size_bytes, content_hash, status, error, progress, chunk_count, page_count, created_at, updated_at)
        SELECT DISTINCT ON (tenant_id, hash) id, tenant_id, NULL, CASE kind WHEN 'Faq' THEN 'Faq' ELSE 'File' END, left(title, 500), source_file_name, NULL,
               CASE kind WHEN 'Faq' THEN 'text/plain' ELSE 'text/markdown' END, size_bytes, hash,
               CASE kind WHEN 'Faq' THEN 'Ready' ELSE 'Queued' END, NULL, CASE kind WHEN 'Faq' THEN 100 ELSE 0 END,
               CASE kind WHEN 'Faq' THEN 1 ELSE 0 END, CASE kind WHEN 'Faq' THEN 1 ELSE 0 END, created_at, updated_at
        FROM (SELECT *, CASE kind WHEN 'Faq' THEN encode(sha256(convert_to(title || E'\n' || content, 'UTF8')), 'hex')
                             ELSE coalesce(content_hash, encode(sha256(convert_to(content, 'UTF8')), 'hex')) END AS hash
              FROM knowledge_items) k
        ORDER BY tenant_id, hash, created_at;
        INSERT INTO knowledge_chunks (id, tenant_id, document_id, ordinal, text, heading, question, token_count, page_number, created_at, updated_at)
        SELECT gen_random_uuid(), k.tenant_id, k.id, 0, k.content, NULL, k.title, greatest(1, (length(k.title) + length(k.content) + 4) / 4), NULL, k.created_at, k.updated_at
        FROM knowledge_items k JOIN knowledge_documents d ON d.id = k.id WHERE k.kind = 'Faq';
        INSERT INTO knowledge_files (id, tenant_id, document_id, content, created_at, updated_at)
        SELECT gen_random_uuid(), k.tenant_id, k.id, convert_to(k.content, 'UTF8'), k.created_at, k.updated_at
        FROM knowledge_items k JOIN knowledge_documents d ON d.id = k.id WHERE k.kind <> 'Faq';
        """;
}
