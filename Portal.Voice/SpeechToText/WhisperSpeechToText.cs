using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Whisper.net;

namespace Portal.Voice.SpeechToText;

/// <summary>
/// Offline speech-to-text with whisper.cpp through Whisper.net (https://github.com/sandrohanea/whisper.net), for
/// operators who place a ggml model file on disk (<see cref="WhisperOptions.ModelPath"/>). Utterances are cut locally
/// (<see cref="UtteranceSpeechToTextStream"/>), converted by <see cref="WhisperAudio.ToSamples"/> and transcribed whole,
/// with the business's words as the initial prompt (<see cref="WhisperAudio.Prompt"/>); confidence is the mean of the
/// segments' average token probabilities. The model is loaded on the first utterance; without a configured, existing
/// model file the provider is not offered (<see cref="IsAvailable"/>) and <see cref="OpenAsync"/> throws.
/// </summary>
public sealed class WhisperSpeechToText : ISpeechToText, IDisposable
{
    /// <summary>Provider name used in errors and shown to owners.</summary>
    public const string Name = "Whisper (offline)";

    private readonly WhisperOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate;
    private readonly Lazy<WhisperFactory> _factory;
    private int _disposed;

    /// <summary>Creates the provider; the model is not loaded until the first utterance.</summary>
    /// <param name="options">Model path and limits.</param>
    /// <param name="loggers">Logger factory.</param>
    public WhisperSpeechToText(IOptions<WhisperOptions> options, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options.Value;
        _logger = loggers.CreateLogger<WhisperSpeechToText>();
        _gate = new SemaphoreSlim(_options.MaxConcurrent, _options.MaxConcurrent);
        _factory = new Lazy<WhisperFactory>(() => WhisperFactory.FromPath(_options.ModelPath!), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <inheritdoc />
    public string ProviderName => Name;

    /// <summary>True when a model path is configured and the file exists.</summary>
    public bool IsAvailable => UnavailableReason is null;

    /// <summary>Why the provider is not offered (null when it is): no model path configured, or the file is missing.</summary>
    public string? UnavailableReason =>
        !_options.IsConfigured ? "no model configured (Voice:SpeechToText:Whisper:ModelPath)."
        : !File.Exists(_options.ModelPath) ? $"model file {_options.ModelPath} not found."
        : null;

    /// <inheritdoc />
    /// <exception cref="SpeechProviderException">No model is configured or the file is missing (permanent).</exception>
    public Task<ISpeechToTextStream> OpenAsync(SpeechToTextOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (UnavailableReason is { } problem)
        {
            throw SpeechProviderErrors.Permanent(Name, problem);
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return Task.FromResult<ISpeechToTextStream>(new Stream(this, options, WhisperAudio.Prompt(options.Vocabulary), _logger));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_factory.IsValueCreated)
        {
            _factory.Value.Dispose();
        }

        _gate.Dispose();
    }

    private async Task<RecognizedUtterance> RecognizeAsync(short[] pcm, int sampleRateHz, string? prompt, CancellationToken cancellationToken)
    {
        var samples = WhisperAudio.ToSamples(pcm, sampleRateHz);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            WhisperFactory factory;
            try
            {
                factory = _factory.Value;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw SpeechProviderErrors.Permanent(Name, "the model could not be loaded: " + ex.Message, ex);
            }

            var builder = factory.CreateBuilder()
                .WithThreads(_options.Threads)
                .WithProbabilities();
            builder = _options.Language == "auto" ? builder.WithLanguageDetection() : builder.WithLanguage(_options.Language);
            if (prompt is not null)
            {
                builder = builder.WithPrompt(prompt);
            }

            await using var processor = builder.Build();
            var text = new StringBuilder();
            var probabilities = new List<double>();
            await foreach (var segment in processor.ProcessAsync(samples, cancellationToken))
            {
                text.Append(segment.Text);
                probabilities.Add(segment.Probability);
            }

            var confidence = probabilities.Count == 0 ? 0 : Math.Clamp(probabilities.Average(), 0, 1);
            return new RecognizedUtterance(text.ToString().Trim(), confidence);
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed class Stream : UtteranceSpeechToTextStream
    {
        private readonly WhisperSpeechToText _owner;
        private readonly string? _prompt;

        public Stream(WhisperSpeechToText owner, SpeechToTextOptions options, string? prompt, ILogger logger)
            : base(options, logger)
        {
            _owner = owner;
            _prompt = prompt;
            Start();
        }

        protected override Task<RecognizedUtterance> RecognizeAsync(short[] pcm, int sampleRateHz, CancellationToken cancellationToken) =>
            _owner.RecognizeAsync(pcm, sampleRateHz, _prompt, cancellationToken);
    }
}
