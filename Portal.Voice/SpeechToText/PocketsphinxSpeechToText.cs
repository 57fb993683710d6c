using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Voice.Audio;
using Portal.Voice.SpeechToText.LanguageModels;
using Portal.Voice.Threading;

namespace Portal.Voice.SpeechToText;

/// <summary>
/// Offline speech-to-text with CMU pocketsphinx (Debian <c>libpocketsphinx3</c> + <c>pocketsphinx-en-us</c>) through
/// P/Invoke (<see cref="PocketsphinxDecoder"/>), for keyless mode. Utterances are cut locally
/// (<see cref="UtteranceSpeechToTextStream"/>), resampled to the model's 16 kHz when needed (phone audio is 8 kHz
/// μ-law) and decoded whole. When the stream is opened with the business's <see cref="SpeechToTextOptions.Vocabulary"/>
/// (phone calls get it from their tenant), decoding uses that business's own trigram model
/// (<see cref="DomainLanguageModelStore"/>: its services, people, dates, times, numbers and the phrases of every intent)
/// instead of the 2015 general-English model, which on 8 kHz phone audio rarely gets a sentence right.
/// When the library or the model files are missing the provider reports itself unavailable
/// (<see cref="IsAvailable"/>, <see cref="UnavailableReason"/>) and <see cref="OpenAsync"/> throws
/// <see cref="SpeechProviderException"/>; nothing crashes.
/// </summary>
/// <remarks>
/// Decoders are expensive (the general model loads ~100 MB in ~0.5 s; a business model is small) and not thread-safe, so
/// at most <see cref="PocketsphinxOptions.MaxDecoders"/> decode at once, each on one of as many dedicated threads
/// (<see cref="DedicatedWorkerPool"/>, fed by a bounded queue), so a decode never holds a thread-pool thread that the
/// pacing and playback of other calls need. Idle decoders are kept per language model for reuse (at most that many idle
/// in all; the oldest other model's decoder is freed first).
/// </remarks>
public sealed class PocketsphinxSpeechToText : ISpeechToText, IDisposable
{
    /// <summary>Provider name used in errors and shown to owners.</summary>
    public const string Name = "pocketsphinx (offline)";

    /// <summary>Sample rate of the acoustic model in Hz.</summary>
    public const int ModelSampleRateHz = 16_000;

    /// <summary>Model key of the general-English language model.</summary>
    public const string GeneralModel = "general";

    /// <summary>Utterances that may wait per decoder thread before a recognizer waits (asynchronously) for room.</summary>
    private const int DecodesQueuedPerDecoder = 64;

    private static readonly Lazy<string?> NativeProblem = new(LoadNative);

    private readonly PocketsphinxOptions _options;
    private readonly ILogger _logger;
    private readonly LinkedList<PocketsphinxDecoder> _idle = new(); // most recently returned last
    private readonly Lazy<DedicatedWorkerPool> _decoders;
    private readonly Lazy<string?> _problem;
    private readonly DomainLanguageModelStore _models;
    private int _disposed;

    /// <summary>Creates the provider; nothing is loaded until the first utterance.</summary>
    /// <param name="options">Model paths and pool size.</param>
    /// <param name="loggers">Logger factory.</param>
    public PocketsphinxSpeechToText(IOptions<PocketsphinxOptions> options, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options.Value;
        _logger = loggers.CreateLogger<PocketsphinxSpeechToText>();
        // Decodes run on their own threads (one per decoder), never on the shared pool where every call's media and pacing run.
        _decoders = new Lazy<DedicatedWorkerPool>(() => new DedicatedWorkerPool("pocketsphinx", _options.MaxDecoders, _options.MaxDecoders * DecodesQueuedPerDecoder, _options.DecoderNiceness));
        _problem = new Lazy<string?>(() => NativeProblem.Value ?? MissingModel());
        _models = new DomainLanguageModelStore(
            string.IsNullOrWhiteSpace(_options.CacheDirectory) ? Path.Combine(Path.GetTempPath(), "portal-pocketsphinx") : _options.CacheDirectory,
            () => PronunciationDictionary.Load(Resolve(_options.Dictionary)));
    }

    /// <inheritdoc />
    public string ProviderName => Name;

    /// <summary>True when the native library and the model files are present.</summary>
    public bool IsAvailable => _problem.Value is null;

    /// <summary>Why the provider cannot run (null when it can), e.g. "libpocketsphinx.so.3 not found: install libpocketsphinx3".</summary>
    public string? UnavailableReason => _problem.Value;

    /// <inheritdoc />
    /// <remarks>With a <see cref="SpeechToTextOptions.Vocabulary"/>, the business's model is built here when not cached yet (about a second, off the caller's thread).</remarks>
    /// <exception cref="SpeechProviderException">The library or model is missing.</exception>
    public async Task<ISpeechToTextStream> OpenAsync(SpeechToTextOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (_problem.Value is { } problem)
        {
            throw SpeechProviderErrors.Permanent(Name, problem);
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var model = options.Vocabulary is { } vocabulary && _options.BusinessLanguageModel
            ? await Task.Run(() => GetModel(vocabulary), cancellationToken)
            : null;
        return new Stream(this, options, model, _logger);
    }

    /// <summary>The business language model of <paramref name="vocabulary"/> (built and cached on first use), or null when it cannot be built (logged; the general model is used).</summary>
    /// <param name="vocabulary">The business's words.</param>
    /// <returns>The model files, or null.</returns>
    public DomainLanguageModel? GetModel(SpeechVocabulary vocabulary)
    {
        try
        {
            return _models.Get(vocabulary);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            _logger.LogWarning(ex, "pocketsphinx: the business language model could not be built; using the general model");
            return null;
        }
    }

    /// <summary>Decodes one whole utterance with the general-English model.</summary>
    /// <param name="pcm">PCM16 samples at <paramref name="sampleRateHz"/>.</param>
    /// <param name="sampleRateHz">Their rate; other than 16 000 Hz is resampled.</param>
    /// <param name="cancellationToken">Cancels the wait for a free decoder.</param>
    /// <returns>The words and the confidence.</returns>
    /// <exception cref="SpeechProviderException">The library or model is missing (permanent), or decoding failed.</exception>
    public Task<RecognizedUtterance> RecognizeAsync(short[] pcm, int sampleRateHz, CancellationToken cancellationToken) =>
        RecognizeAsync(pcm, sampleRateHz, null, cancellationToken);

    /// <summary>Decodes one whole utterance.</summary>
    /// <param name="pcm">PCM16 samples at <paramref name="sampleRateHz"/>.</param>
    /// <param name="sampleRateHz">Their rate; other than 16 000 Hz is resampled.</param>
    /// <param name="model">The business language model to decode with, or null for the general one.</param>
    /// <param name="cancellationToken">Cancels the wait for a free decoder.</param>
    /// <returns>The words (lower case, as the dictionary spells them) and the confidence.</returns>
    /// <exception cref="SpeechProviderException">The library or model is missing (permanent), or decoding failed.</exception>
    public async Task<RecognizedUtterance> RecognizeAsync(short[] pcm, int sampleRateHz, DomainLanguageModel? model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pcm);
        if (_problem.Value is { } problem)
        {
            throw SpeechProviderErrors.Permanent(Name, problem);
        }

        short[] audio = pcm;
        if (sampleRateHz != ModelSampleRateHz)
        {
            var resampler = new Resampler(sampleRateHz, ModelSampleRateHz, Resampler.MaxRationalFactor);
            audio = new short[resampler.MaxOutputLength(pcm.Length)];
            audio = audio[..resampler.Process(pcm, audio)];
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return await _decoders.Value.RunAsync(() => Decode(audio, model), cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        lock (_idle)
        {
            foreach (var decoder in _idle)
            {
                decoder.Dispose();
            }

            _idle.Clear();
        }

        if (_decoders.IsValueCreated)
        {
            _decoders.Value.Dispose();
        }
    }

    private static string? LoadNative()
    {
        if (!NativeLibrary.TryLoad(PocketsphinxNative.Library, typeof(PocketsphinxSpeechToText).Assembly, null, out _))
        {
            return $"{PocketsphinxNative.Library} not found: install the Debian package libpocketsphinx3.";
        }

        if (!NativeLibrary.TryLoad(PocketsphinxNative.BaseLibrary, typeof(PocketsphinxSpeechToText).Assembly, null, out _))
        {
            return $"{PocketsphinxNative.BaseLibrary} not found: install the Debian package libsphinxbase3.";
        }

        try
        {
            PocketsphinxNative.ErrSetLogFp(IntPtr.Zero); // the decoder logs pages per utterance to stderr otherwise.
        }
        catch (EntryPointNotFoundException ex)
        {
            return "the installed pocketsphinx has an unexpected API: " + ex.Message;
        }

        return null;
    }

    private string? MissingModel()
    {
        foreach (var (path, directory) in new[] { (Resolve(_options.AcousticModel), true), (Resolve(_options.LanguageModel), false), (Resolve(_options.Dictionary), false) })
        {
            if (directory ? !Directory.Exists(path) : !File.Exists(path))
            {
                return $"model file {path} not found: install the Debian package pocketsphinx-en-us.";
            }
        }

        return null;
    }

    private string Resolve(string path) => Path.IsPathRooted(path) ? path : Path.Combine(_options.ModelDirectory, path);

    private RecognizedUtterance Decode(short[] pcm16k, DomainLanguageModel? model)
    {
        var key = model?.Key ?? GeneralModel;
        var decoder = TakeIdle(key) ?? PocketsphinxDecoder.Create([
            "pocketsphinx",
            "-hmm", Resolve(_options.AcousticModel),
            "-lm", model?.LanguageModelPath ?? Resolve(_options.LanguageModel),
            "-dict", model?.DictionaryPath ?? Resolve(_options.Dictionary),
            "-samprate", "16000",
            "-bestpath", "yes",
            .. _options.DecoderArguments,
        ], key);
        bool healthy = false;
        try
        {
            // Word posteriors only under a business model: under the general model they trusted 22 of 50 phone turns with
            // 5 understood (docs/benchmarks.md), so the stricter sentence measure stays there.
            var result = decoder.Decode(pcm16k, _options.WordPosteriorConfidence && model is not null);
            healthy = true;
            return result;
        }
        finally
        {
            if (healthy && Volatile.Read(ref _disposed) == 0)
            {
                ReturnIdle(decoder);
            }
            else
            {
                decoder.Dispose();
            }
        }
    }

    private PocketsphinxDecoder? TakeIdle(string key)
    {
        lock (_idle)
        {
            for (var node = _idle.Last; node is not null; node = node.Previous)
            {
                if (node.Value.ModelKey == key)
                {
                    _idle.Remove(node);
                    return node.Value;
                }
            }
        }

        return null;
    }

    private void ReturnIdle(PocketsphinxDecoder decoder)
    {
        PocketsphinxDecoder? evicted = null;
        lock (_idle)
        {
            _idle.AddLast(decoder);
            if (_idle.Count > _options.MaxDecoders)
            {
                evicted = _idle.First!.Value;
                _idle.RemoveFirst();
            }
        }

        evicted?.Dispose();
    }

    private sealed class Stream : UtteranceSpeechToTextStream
    {
        private readonly PocketsphinxSpeechToText _owner;
        private readonly DomainLanguageModel? _model;

        public Stream(PocketsphinxSpeechToText owner, SpeechToTextOptions options, DomainLanguageModel? model, ILogger logger)
            : base(options, logger)
        {
            _owner = owner;
            _model = model;
            Start();
        }

        protected override Task<RecognizedUtterance> RecognizeAsync(short[] pcm, int sampleRateHz, CancellationToken cancellationToken) =>
            _owner.RecognizeAsync(pcm, sampleRateHz, _model, cancellationToken);
    }
}
