using System.Runtime.InteropServices;

namespace Portal.Voice.SpeechToText;

/// <summary>
/// One native pocketsphinx decoder (<see cref="PocketsphinxNative"/>) with its configuration and the argument strings it
/// points at. Not thread-safe: one utterance at a time. Decodes a whole utterance (<c>ps_start_utt</c>,
/// <c>ps_process_raw</c> with <c>full_utt</c>, <c>ps_end_utt</c>, <c>ps_get_hyp</c>); confidence is the mean of the
/// words' lattice posteriors (<c>ps_seg_prob</c>, fillers skipped) or the per-word geometric mean of the sentence
/// posterior (<c>ps_get_prob</c> to the power 1/words, since the whole-sentence posterior shrinks with length), both
/// converted with <c>logmath_exp</c>.
/// </summary>
internal sealed class PocketsphinxDecoder : IDisposable
{
    private readonly IntPtr[] _argv;
    private IntPtr _config;

    private PocketsphinxDecoder(IntPtr handle, IntPtr config, IntPtr[] argv, string modelKey)
    {
        Handle = handle;
        _config = config;
        _argv = argv;
        ModelKey = modelKey;
    }

    ~PocketsphinxDecoder() => Release();

    /// <summary>The language model this decoder was loaded with (<c>general</c> or a business model's key).</summary>
    public string ModelKey { get; }

    private IntPtr Handle { get; set; }

    /// <summary>Loads a decoder. Throws a permanent <see cref="SpeechProviderException"/> when the arguments or models are refused.</summary>
    /// <param name="args">Command-line style arguments (argv[0] is skipped).</param>
    /// <param name="modelKey">Which language model the arguments name.</param>
    /// <returns>The decoder.</returns>
    public static PocketsphinxDecoder Create(string[] args, string modelKey)
    {
        // cmd_ln_parse_r may keep pointers into argv: the strings live as long as the decoder.
        var argv = args.Select(Marshal.StringToCoTaskMemUTF8).ToArray();
        IntPtr config = PocketsphinxNative.CmdLnParse(IntPtr.Zero, PocketsphinxNative.PsArgs(), argv.Length, argv, 1);
        if (config == IntPtr.Zero)
        {
            Free(argv);
            throw SpeechProviderErrors.Permanent(PocketsphinxSpeechToText.Name, "the decoder configuration was refused (cmd_ln_parse_r).");
        }

        IntPtr handle = PocketsphinxNative.PsInit(config);
        if (handle == IntPtr.Zero)
        {
            _ = PocketsphinxNative.CmdLnFree(config);
            Free(argv);
            throw SpeechProviderErrors.Permanent(PocketsphinxSpeechToText.Name, "the model could not be loaded (ps_init).");
        }

        return new PocketsphinxDecoder(handle, config, argv, modelKey);
    }

    /// <summary>Decodes one whole utterance of 16 kHz PCM16. Throws <see cref="SpeechProviderException"/> when a step fails (the decoder should then be dropped).</summary>
    /// <param name="pcm16k">Samples at 16 000 Hz.</param>
    /// <param name="wordPosteriors">Confidence as the mean of the words' lattice posteriors (<c>ps_seg_prob</c>) instead of the per-word geometric mean of the sentence posterior.</param>
    /// <returns>Lower-case words as the dictionary spells them, and the confidence in 0..1.</returns>
    public RecognizedUtterance Decode(short[] pcm16k, bool wordPosteriors)
    {
        const string name = PocketsphinxSpeechToText.Name;
        if (PocketsphinxNative.PsStartUtt(Handle) < 0)
        {
            throw new SpeechProviderException(name, "ps_start_utt failed.");
        }

        if (pcm16k.Length > 0 && PocketsphinxNative.PsProcessRaw(Handle, pcm16k, (nuint)pcm16k.Length, 0, 1) < 0)
        {
            _ = PocketsphinxNative.PsEndUtt(Handle);
            throw new SpeechProviderException(name, "ps_process_raw failed.");
        }

        if (PocketsphinxNative.PsEndUtt(Handle) < 0)
        {
            throw new SpeechProviderException(name, "ps_end_utt failed.");
        }

        IntPtr hyp = PocketsphinxNative.PsGetHyp(Handle, out _);
        string text = hyp == IntPtr.Zero ? string.Empty : Marshal.PtrToStringUTF8(hyp) ?? string.Empty;
        double confidence = 0;
        if (text.Length > 0)
        {
            IntPtr logMath = PocketsphinxNative.PsGetLogMath(Handle);
            double posterior = logMath == IntPtr.Zero ? 0 : PocketsphinxNative.LogMathExp(logMath, PocketsphinxNative.PsGetProb(Handle));
            int words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            confidence = wordPosteriors ? MeanWordPosterior(logMath) : posterior > 0 ? Math.Exp(Math.Log(posterior) / words) : 0;
        }

        return new RecognizedUtterance(text, double.IsFinite(confidence) ? Math.Clamp(confidence, 0, 1) : 0);
    }

    private double MeanWordPosterior(IntPtr logMath)
    {
        if (logMath == IntPtr.Zero)
        {
            return 0;
        }

        double sum = 0;
        int count = 0;
        for (var seg = PocketsphinxNative.PsSegIter(Handle); seg != IntPtr.Zero; seg = PocketsphinxNative.PsSegNext(seg))
        {
            var word = Marshal.PtrToStringUTF8(PocketsphinxNative.PsSegWord(seg)) ?? string.Empty;
            if (word.Length == 0 || word[0] is '<' or '[')
            {
                continue; // silence and noise fillers
            }

            sum += PocketsphinxNative.LogMathExp(logMath, PocketsphinxNative.PsSegProb(seg, out _, out _, out _));
            count++;
        }

        return count == 0 ? 0 : sum / count;
    }

    /// <inheritdoc />
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
