using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Portal.Voice.Threading;

namespace Portal.Voice.TextToSpeech;

/// <summary>
/// Keyless text-to-speech with espeak-ng (https://github.com/espeak-ng/espeak-ng): voices come from
/// <c>espeak-ng --voices=en</c> (<see cref="ParseVoiceList"/>: mbrola voices and variants skipped), each offered as
/// male and a female variant (<c>+f3</c>); what is offered to owners is further probed by <see cref="VoiceCatalog"/>; synthesis is <c>espeak-ng -v ID --stdout</c>, 22050 Hz
/// 16-bit mono WAV. Arguments go through <see cref="ProcessStartInfo.ArgumentList"/>, never a shell.
/// </summary>
public sealed class EspeakTextToSpeech(ILogger<EspeakTextToSpeech> logger) : ITextToSpeech
{
    /// <summary>Executable name.</summary>
    public const string Executable = "espeak-ng";

    /// <summary>Longest text synthesized, in characters.</summary>
    public const int MaxTextLength = 500;

    /// <summary>The voice every espeak-ng install speaks (American English, male): the calls' last-resort voice.</summary>
    public const string DefaultVoice = "en-us";

    /// <summary>One dedicated thread that starts espeak-ng processes (<see cref="Process.Start()"/> blocks while it forks).</summary>
    private static readonly Lazy<DedicatedWorkerPool> ProcessLauncher = new(() => new DedicatedWorkerPool("espeak-ng launcher", 1, 1024));

    private IReadOnlyList<VoiceInfo>? _voices;

    /// <inheritdoc />
    public string ProviderName => "espeak-ng (offline)";

    /// <inheritdoc />
    public async Task<IReadOnlyList<VoiceInfo>> ListVoicesAsync(CancellationToken cancellationToken)
    {
        if (_voices is not null)
        {
            return _voices;
        }

        var (code, output) = await RunAsync(["--voices=en"], null, cancellationToken);
        var voices = new List<VoiceInfo>();
        if (code == 0)
        {
            voices.AddRange(ParseVoiceList(System.Text.Encoding.UTF8.GetString(output)));
        }
        else
        {
            logger.LogWarning("espeak-ng is not available (exit {Code}); no voices listed", code);
        }

        _voices = voices.OrderBy(v => v.Id.StartsWith("en-us", StringComparison.Ordinal) ? 0 : 1).ThenBy(v => v.Id, StringComparer.Ordinal).ToList();
        return _voices;
    }

    /// <summary>
    /// Reads the table <c>espeak-ng --voices=LANG</c> prints (columns <c>Pty Language Age/Gender VoiceName File Other
    /// Languages</c>, https://github.com/espeak-ng/espeak-ng/blob/master/src/espeak-ng.1.ronn) and returns the voices it
    /// can speak on its own: one male and one female (<c>+f3</c> variant) voice per language. Skipped: mbrola voices (file
    /// <c>mb/…</c>, they need the separate mbrola program and data) and variants (file <c>!v/…</c>, language column
    /// "variant"): a variant such as "Storm" only changes the sound of a language voice (<c>en-us+Storm</c>) and is not a
    /// voice itself, so <c>-v variant</c> fails. A language listed twice keeps its first row.
    /// </summary>
    /// <param name="table">The command's standard output, header line first.</param>
    /// <returns>Voices with display names such as "English (America), female".</returns>
    public static IReadOnlyList<VoiceInfo> ParseVoiceList(string table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var voices = new List<VoiceInfo>();
        foreach (var line in table.Split('\n').Skip(1))
        {
            var cols = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cols.Length < 5)
            {
                continue;
            }

            string language = cols[1], name = cols[3], file = cols[4];
            bool standalone = !file.StartsWith("mb/", StringComparison.Ordinal) && !file.StartsWith("!v/", StringComparison.Ordinal)
                && !string.Equals(language, "variant", StringComparison.OrdinalIgnoreCase);
            if (!standalone || voices.Any(v => v.Id == language))
            {
                continue;
            }

            var display = name.Replace('_', ' ');
            voices.Add(new VoiceInfo(language, $"{display}, male", language));
            voices.Add(new VoiceInfo($"{language}+f3", $"{display}, female", language));
        }

        return voices;
    }

    /// <inheritdoc />
    public async Task<SynthesizedAudio> SynthesizeAsync(string text, string voiceId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("Nothing to say.", nameof(text));
        }

        var voices = await ListVoicesAsync(cancellationToken);
        if (voices.All(v => v.Id != voiceId))
        {
            throw new ArgumentException($"Unknown voice '{voiceId}'.", nameof(voiceId));
        }

        var clipped = text.Length > MaxTextLength ? text[..MaxTextLength] : text;
        var (code, audio) = await RunAsync(["-v", voiceId, "-s", "165", "--stdout"], clipped, cancellationToken);
        if (code != 0 || audio.Length < 44)
        {
            throw new InvalidOperationException("espeak-ng could not synthesize the text.");
        }

        return new SynthesizedAudio(audio, "audio/wav");
    }

    private static async Task<(int ExitCode, byte[] Output)> RunAsync(string[] args, string? stdin, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = stdin is not null,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        try
        {
            // Forking from a large server process takes milliseconds of CPU, synchronously: done on a dedicated thread, never
            // on the thread pool that paces every call's audio. The process's I/O below is asynchronous.
            using var process = await ProcessLauncher.Value.RunAsync(() => Process.Start(psi)!, CancellationToken.None); // not cancelled: a started process must be disposed here
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin);
                process.StandardInput.Close();
            }

            using var ms = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(ms, ct);
            var drainErrors = process.StandardError.ReadToEndAsync(ct);
            await Task.WhenAll(copy, drainErrors);
            await process.WaitForExitAsync(ct);
            return (process.ExitCode, ms.ToArray());
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, []);
        }
    }
}
