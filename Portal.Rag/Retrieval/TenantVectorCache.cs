using System.Collections.Concurrent;
using System.Numerics.Tensors;
using Npgsql;
using Portal.Domain.Instances;

namespace Portal.Rag.Retrieval;

/// <summary>
/// The dense index without pgvector (docs/decisions/ADR-009-vector-search-without-pgvector.md): each
/// tenant's chunk vectors of one model are loaded once into a contiguous row-major matrix of unit-length
/// rows, kept until <see cref="Invalidate"/> (called after every knowledge change), and searched by a SIMD
/// dot product per row (<see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>), which
/// equals cosine similarity for unit vectors. Memory: 4 bytes × dimensions per chunk (10,000 chunks of
/// 1,536 dimensions ≈ 61 MB).
/// </summary>
public sealed class TenantVectorCache
{
    private readonly ConcurrentDictionary<Guid, Lazy<Task<VectorMatrix>>> _tenants = new();
    private readonly NpgsqlDataSource _dataSource;
    private readonly CacheInvalidationBus? _bus;

    /// <summary>Creates the cache; with a <paramref name="bus"/>, changes made on any instance drop this one's entries too.</summary>
    /// <param name="dataSource">The app's pool.</param>
    /// <param name="bus">Cross-instance invalidation (<see cref="CacheTopics.KnowledgeVectors"/>), or null for one process.</param>
    public TenantVectorCache(NpgsqlDataSource dataSource, CacheInvalidationBus? bus = null)
    {
        _dataSource = dataSource;
        _bus = bus;
        bus?.Subscribe(CacheTopics.KnowledgeVectors, id => Drop(id));
    }

    /// <summary>
    /// The matrix of <paramref name="tenantId"/>'s vectors made by <paramref name="model"/> (chunks of ready or
    /// re-indexing documents), loaded on first use. Vectors of another length than the first are skipped.
    /// </summary>
    public async Task<VectorMatrix> GetAsync(Guid tenantId, string model, CancellationToken cancellationToken)
    {
        var lazy = _tenants.GetOrAdd(tenantId, id => new Lazy<Task<VectorMatrix>>(() => LoadAsync(id, model)));
        var matrix = await lazy.Value.WaitAsync(cancellationToken);
        if (matrix.Model != model)
        {
            _tenants.TryRemove(new KeyValuePair<Guid, Lazy<Task<VectorMatrix>>>(tenantId, lazy));
            return await GetAsync(tenantId, model, cancellationToken);
        }

        return matrix;
    }

    /// <summary>Drops the cached matrix of a tenant (its chunks changed), here and on every other instance.</summary>
    public void Invalidate(Guid tenantId)
    {
        Drop(tenantId);
        _bus?.Publish(CacheTopics.KnowledgeVectors, tenantId);
    }

    private void Drop(Guid? tenantId)
    {
        if (tenantId is { } id)
        {
            _tenants.TryRemove(id, out _);
        }
        else
        {
            _tenants.Clear();
        }
    }

    private async Task<VectorMatrix> LoadAsync(Guid tenantId, string model)
    {
        // Loaded for one named tenant (raw SQL has no query filter; the voice channel has no signed-in user).
        const string sql = """
            SELECT c.id, d.agent_persona_id, c.embedding
            FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id
            WHERE c.tenant_id = $1 AND c.embedding_model = $2 AND c.embedding IS NOT NULL AND d.status IN ('Ready', 'Processing')
            """;
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(model);
        var ids = new List<Guid>();
        var scopes = new List<Guid?>();
        var data = new List<float>();
        var dimensions = 0;
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        while (await reader.ReadAsync(CancellationToken.None))
        {
            var vector = reader.GetFieldValue<float[]>(2);
            dimensions = dimensions == 0 ? vector.Length : dimensions;
            if (vector.Length != dimensions || vector.Length == 0)
            {
                continue;
            }

            VectorMatrix.Normalize(vector);
            ids.Add(reader.GetGuid(0));
            scopes.Add(reader.IsDBNull(1) ? null : reader.GetGuid(1));
            data.AddRange(vector);
        }

        return new VectorMatrix(model, dimensions, [.. ids], [.. scopes], [.. data]);
    }
}

/// <summary>Unit-length vectors of one tenant, row-major (<see cref="Dimensions"/> floats per chunk).</summary>
/// <param name="Model">Embedding model of every row.</param>
/// <param name="Dimensions">Floats per vector (0 when empty).</param>
/// <param name="ChunkIds">Chunk of each row.</param>
/// <param name="Scopes">Agent scope of each row's document (null = every agent).</param>
/// <param name="Data">Rows, concatenated.</param>
public sealed record VectorMatrix(string Model, int Dimensions, Guid[] ChunkIds, Guid?[] Scopes, float[] Data)
{
    /// <summary>Rows held.</summary>
    public int Count => ChunkIds.Length;

    /// <summary>Scales <paramref name="vector"/> to unit length in place (a zero vector stays zero).</summary>
    public static void Normalize(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
    }

    /// <summary>
    /// The cosine similarity of <paramref name="query"/> (unit length, <see cref="Dimensions"/> floats) to each row of
    /// <paramref name="chunkIds"/> held here (ids not held are left out), in one pass over the rows.
    /// Throws <see cref="ArgumentException"/> when the query length differs from <see cref="Dimensions"/>.
    /// </summary>
    public Dictionary<Guid, float> CosinesOf(ReadOnlySpan<float> query, IReadOnlySet<Guid> chunkIds)
    {
        var result = new Dictionary<Guid, float>(chunkIds.Count);
        if (Count == 0 || chunkIds.Count == 0)
        {
            return result;
        }

        if (query.Length != Dimensions)
        {
            throw new ArgumentException($"The query has {query.Length} dimensions; the stored vectors have {Dimensions}.", nameof(query));
        }

        var data = Data.AsSpan();
        for (var i = 0; i < Count && result.Count < chunkIds.Count; i++)
        {
            if (chunkIds.Contains(ChunkIds[i]))
            {
                result[ChunkIds[i]] = TensorPrimitives.Dot(data.Slice(i * Dimensions, Dimensions), query);
            }
        }

        return result;
    }

    /// <summary>
    /// The <paramref name="k"/> rows most similar to <paramref name="query"/> (unit length, <see cref="Dimensions"/> floats)
    /// among rows visible to <paramref name="agentPersonaId"/> (null = all), best first, with their cosine similarity.
    /// Throws <see cref="ArgumentException"/> when the query length differs from <see cref="Dimensions"/>.
    /// </summary>
    public IReadOnlyList<(Guid ChunkId, float Cosine)> TopK(ReadOnlySpan<float> query, Guid? agentPersonaId, int k)
    {
        if (Count == 0 || k <= 0)
        {
            return [];
        }

        if (query.Length != Dimensions)
        {
            throw new ArgumentException($"The query has {query.Length} dimensions; the stored vectors have {Dimensions}.", nameof(query));
        }

        var heap = new PriorityQueue<int, float>(k + 1);
        var data = Data.AsSpan();
        for (var i = 0; i < Count; i++)
        {
            if (agentPersonaId is not null && Scopes[i] is { } scope && scope != agentPersonaId)
            {
                continue;
            }

            var score = TensorPrimitives.Dot(data.Slice(i * Dimensions, Dimensions), query);
            if (heap.Count < k)
            {
                heap.Enqueue(i, score);
            }
            else if (heap.TryPeek(out _, out var worst) && score > worst)
            {
                heap.DequeueEnqueue(i, score);
            }
        }

        var result = new (Guid, float)[heap.Count];
        for (var n = result.Length - 1; n >= 0; n--)
        {
            heap.TryDequeue(out var row, out var score);
            result[n] = (ChunkIds[row], score);
        }

        return result;
    }
}
