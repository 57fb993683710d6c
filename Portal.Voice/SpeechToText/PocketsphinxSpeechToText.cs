using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Voice.Audio;

namespace Portal.Voice.SpeechToText;

/// <summary>
/// Offline speech-to-text with CMU pocketsphinx (Debian <c>libpocketsphinx3</c> + <c>pocketsphinx-en-us</c>) through
/// P/Invoke (<see cref="PocketsphinxNative"/>), for keyless mode. Utterances are cut locally
/// (<see cref="UtteranceSpeechToTextStream"/>), resampled to the model's 16 kHz when needed (phone audio is 8 kHz
/// μ-law) and decoded whole (<c>ps_start_utt</c>, <c>ps_process_raw</c> with <c>full_utt</c>, <c>ps_end_utt</c>,
/// <c>ps_get_hyp</c>); confidence is the per-word geometric mean of the sentence posterior (<c>ps_get_prob</c>
/// converted with <c>logmath_exp</c>, to the power 1/words), since the whole-sentence posterior shrinks with length.
/// When the library or the model files are missing the provider reports itself unavailable
/// (<see cref="IsAvailable"/>, <see cref="UnavailableReason"/>) and <see cref="OpenAsync"/> throws
/// <see cref="SpeechProviderException"/>; nothing crashes.
/// </summary>
/// <remarks>
/// Decoders are expensive (each loads ~100 MB of models in ~0.5 s) and not thread-safe, so at most
/// <see cref="PocketsphinxOptions.MaxDecoders"/> exist, each used by one utterance at a time and reused.
/// Accuracy is that of a 2015 general-English model: good enough for keywords and short answers, not for dictation.
/// </remarks>
public sealed class PocketsphinxSpeechToText : ISpeechToText, IDisposable
{
    /// <summary>Provider name used in errors and shown to owners.</summary>
    public const string Name = "pocketsphinx (offline)";

    /// <summary>Sample rate of the acoustic model in Hz.</summary>
    public const int ModelSampleRateHz = 16_000;

    private static readonly Lazy<string?> NativeProblem = new(LoadNative);

    private readonly PocketsphinxOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentBag<Decoder> _idle = [];
    private readonly SemaphoreSlim _gate;
    private readonly Lazy<string?> _problem;
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
        _gate = new SemaphoreSlim(_options.MaxDecoders, _options.MaxDecoders);
        _problem = new Lazy<string?>(() => NativeProblem.Value ?? MissingModel());
    }

    /// <inheritdoc />
    public string ProviderName => Name;

    /// <summary>True when the native library and the model files are present.</summary>
    public bool IsAvailable => _problem.Value is null;

    /// <summary>Why the provider cannot run (null when it can), e.g. "libpocketsphinx.so.3 not found: install libpocketsphinx3".</summary>
    public string? UnavailableReason => _problem.Value;

    /// <inheritdoc />
    /// <exception cref="SpeechProviderException">The library or model is missing.</exception>
    public Task<ISpeechToTextStream> OpenAsync(SpeechToTextOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (_problem.Value is { } problem)
        {
            throw SpeechProviderErrors.Permanent(Name, problem);
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return Task.FromResult<ISpeechToTextStream>(new Stream(this, options, _logger));
    }

    /// <summary>Decodes one whole utterance.</summary>
    /// <param name="pcm">PCM16 samples at <paramref name="sampleRateHz"/>.</param>
    /// <param name="sampleRateHz">Their rate; other than 16 000 Hz is resampled.</param>
    /// <param name="cancellationToken">Cancels the wait for a free decoder.</param>
    /// <returns>The words (lower case, as the dictionary spells them) and the confidence.</returns>
    /// <exception cref="SpeechProviderException">The library or model is missing (permanent), or decoding failed.</exception>
    public async Task<RecognizedUtterance> RecognizeAsync(short[] pcm, int sampleRateHz, CancellationToken cancellationToken)
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

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(() => Decode(audio), CancellationToken.None);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        while (_idle.TryTake(out var decoder))
        {
            decoder.Dispose();
        }

        _gate.Dispose();
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

    private RecognizedUtterance Decode(short[] pcm16k)
    {
        var decoder = _idle.TryTake(out var d) ? d : Decoder.Create([
            "pocketsphinx",
            "-hmm", Resolve(_options.AcousticModel),
            "-lm", Resolve(_options.LanguageModel),
            "-dict", Resolve(_options.Dictionary),
            "-samprate", "16000",
            "-bestpath", "yes",
        ]);
        bool healthy = false;
        try
        {
            if (PocketsphinxNative.PsStartUtt(decoder.Handle) < 0)
            {
                throw new SpeechProviderException(Name, "ps_start_utt failed.");
            }

            if (pcm16k.Length > 0 && PocketsphinxNative.PsProcessRaw(decoder.Handle, pcm16k, (nuint)pcm16k.Length, 0, 1) < 0)
            {
                _ = PocketsphinxNative.PsEndUtt(decoder.Handle);
                throw new SpeechProviderException(Name, "ps_process_raw failed.");
            }

            if (PocketsphinxNative.PsEndUtt(decoder.Handle) < 0)
            {
                throw new SpeechProviderException(Name, "ps_end_utt failed.");
            }

            healthy = true;
            IntPtr hyp = PocketsphinxNative.PsGetHyp(decoder.Handle, out _);
            string text = hyp == IntPtr.Zero ? string.Empty : Marshal.PtrToStringUTF8(hyp) ?? string.Empty;
            double confidence = 0;
            if (text.Length > 0)
            {
                IntPtr logMath = PocketsphinxNative.PsGetLogMath(decoder.Handle);
                double posterior = logMath == IntPtr.Zero ? 0 : PocketsphinxNative.LogMathExp(logMath, PocketsphinxNative.PsGetProb(decoder.Handle));
                int words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
                confidence = posterior > 0 ? Math.Exp(Math.Log(posterior) / words) : 0;
            }

            return new RecognizedUtterance(text, double.IsFinite(confidence) ? Math.Clamp(confidence, 0, 1) : 0);
        }
        finally
        {
            if (healthy && Volatile.Read(ref _disposed) == 0)
            {
                _idle.Add(decoder);
            }
            else
            {
                decoder.Dispose();
            }
        }
    }

    /// <summary>One native decoder with its configuration and the argument strings it points at.</summary>
    private sealed class Decoder : IDisposable
    {
        private readonly IntPtr[] _argv;
        private IntPtr _config;

        private Decoder(IntPtr handle, IntPtr config, IntPtr[] argv)
        {
            Handle = handle;
            _config = config;
            _argv = argv;
        }

        ~Decoder() => Release();

        public IntPtr Handle { get; private set; }

        public static Decoder Create(string[] args)
        {
            // cmd_ln_parse_r may keep pointers into argv: the strings live as long as the decoder.
            var argv = args.Select(Marshal.StringToCoTaskMemUTF8).ToArray();
            IntPtr config = PocketsphinxNative.CmdLnParse(IntPtr.Zero, PocketsphinxNative.PsArgs(), argv.Length, argv, 1);
            if (config == IntPtr.Zero)
            {
                Free(argv);
                throw SpeechProviderErrors.Permanent(Name, "the decoder configuration was refused (cmd_ln_parse_r).");
            }

            IntPtr handle = PocketsphinxNative.PsInit(config);
            if (handle == IntPtr.Zero)
            {
                _ = PocketsphinxNative.CmdLnFree(config);
                Free(argv);
                throw SpeechProviderErrors.Permanent(Name, "the model could not be loaded (ps_init).");
            }

            return new Decoder(handle, config, argv);
        }

        public void Dispose()
        {
            Release();
            GC.SuppressFinalize(this);
        }

        private static void Free(IntPtr[] argv)
        {
            foreach (var p in argv)
            {
                Marshal.FreeCoTaskMem(p);
            }
        }

        private void Release()
        {
            if (Handle != IntPtr.Zero)
            {
                _ = PocketsphinxNative.PsFree(Handle);
                Handle = IntPtr.Zero;
            }

            if (_config != IntPtr.Zero)
            {
                _ = PocketsphinxNative.CmdLnFree(_config);
                _config = IntPtr.Zero;
                Free(_argv);
            }
        }
    }

    private sealed class Stream : UtteranceSpeechToTextStream
    {
        private readonly PocketsphinxSpeechToText _owner;

        public Stream(PocketsphinxSpeechToText owner, SpeechToTextOptions options, ILogger logger)
            : base(options, logger)
        {
            _owner = owner;
            Start();
        }

        protected override Task<RecognizedUtterance> RecognizeAsync(short[] pcm, int sampleRateHz, CancellationToken cancellationToken) =>
            _owner.RecognizeAsync(pcm, sampleRateHz, cancellationToken);
    }
}
