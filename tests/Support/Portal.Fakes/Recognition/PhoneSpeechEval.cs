using System.Diagnostics;
using System.Globalization;
using Portal.Domain.Conversations.Understanding;
using Portal.Voice.Audio;
using Portal.Voice.SpeechToText;

namespace Portal.Fakes.Recognition;

/// <summary>What the recognizer made of one evaluation utterance, scored.</summary>
/// <param name="Utterance">The utterance.</param>
/// <param name="Rendering">How it was spoken.</param>
/// <param name="Heard">The recognizer's text (finals joined).</param>
/// <param name="Confidence">Lowest confidence among its finals (0 when none).</param>
/// <param name="WordErrors">Substitutions + deletions + insertions against the reference (normalized words).</param>
/// <param name="ReferenceWords">Words in the normalized reference.</param>
/// <param name="IntentCorrect">Whether the intent classifier gives the hand-labelled intent on the heard text.</param>
/// <param name="SlotsCorrect">For utterances naming a service or a date/time: whether the heard text gives the same service and the same date, time and part of day as the reference; null otherwise.</param>
public sealed record EvalResult(EvalUtterance Utterance, EvalRendering Rendering, string Heard, double Confidence, int WordErrors, int ReferenceWords, bool IntentCorrect, bool? SlotsCorrect);

/// <summary>Totals of an evaluation run.</summary>
/// <param name="Utterances">Utterances scored.</param>
/// <param name="WordErrorRate">Word errors over reference words (0..; can pass 1 with insertions).</param>
/// <param name="IntentAccuracy">Share of utterances whose intent was understood.</param>
/// <param name="SlotAccuracy">Share of slot-bearing utterances whose service and date/time were understood.</param>
/// <param name="Accepted">Share whose confidence reaches <see cref="PhoneSpeechEval.MinConfidence"/> (the call trusts them).</param>
/// <param name="MeanConfidence">Mean of <see cref="EvalResult.Confidence"/>.</param>
public sealed record EvalSummary(int Utterances, double WordErrorRate, double IntentAccuracy, double SlotAccuracy, double Accepted, double MeanConfidence);

/// <summary>
/// Runs the phone speech evaluation (<see cref="PhoneSpeechEvalSet"/>): renders each utterance with espeak-ng and sox
/// (8 kHz μ-law, <c>-R</c> so sox's noise and dither are repeatable), streams it through a recognizer exactly as a call
/// does (20 ms frames, local endpointing), and scores word errors and understanding with the offline engine's own
/// parsers (<see cref="IntentClassifier"/>, <see cref="ServiceMatcher"/>, <see cref="TemporalParser"/>).
/// Deterministic for a given espeak-ng, sox and pocketsphinx.
/// </summary>
public static class PhoneSpeechEval
{
    /// <summary>The call's trust threshold (MediaStreamSessionOptions.MinConfidence default).</summary>
    public const double MinConfidence = 0.4;

    /// <summary>The "now" dates and times are resolved against: a Wednesday morning.</summary>
    public static readonly DateTime Now = new(2026, 11, 25, 8, 0, 0, DateTimeKind.Unspecified);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> Rendered = new(StringComparer.Ordinal);

    /// <summary>True when espeak-ng and sox can be run.</summary>
    public static bool ToolsInstalled => OnPath("espeak-ng") && OnPath("sox");

    /// <summary>Speaks <paramref name="text"/> as <paramref name="rendering"/> says, as 8 kHz μ-law with 400 ms of silence before and 1.2 s after.</summary>
    /// <param name="text">The words.</param>
    /// <param name="rendering">Voice, speed, pitch, noise.</param>
    /// <param name="cancellationToken">Cancels the tools.</param>
    /// <returns>Raw μ-law bytes.</returns>
    /// <exception cref="InvalidOperationException">espeak-ng or sox failed.</exception>
    public static async Task<byte[]> RenderAsync(string text, EvalRendering rendering, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rendering);
        var key = $"{rendering}|{text}";
        if (Rendered.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var audio = await RenderUncachedAsync(text, rendering, cancellationToken);
        Rendered[key] = audio;
        return audio;
    }

    private static async Task<byte[]> RenderUncachedAsync(string text, EvalRendering rendering, CancellationToken cancellationToken)
    {
        var dir = Directory.CreateTempSubdirectory("portal-asr-eval-");
        try
        {
            var speech = Path.Combine(dir.FullName, "speech.wav");
            var output = Path.Combine(dir.FullName, "phone.ul");
            await RunAsync("espeak-ng", ["-v", rendering.Voice, "-s", Str(rendering.WordsPerMinute), "-p", Str(rendering.Pitch), "-w", speech, text], cancellationToken);
            if (rendering.NoiseAmplitude > 0)
            {
                if (!WavPcm.TryRead(await File.ReadAllBytesAsync(speech, cancellationToken), out var samples, out var rate, out var error))
                {
                    throw new InvalidOperationException("espeak-ng wrote an unreadable WAV: " + error);
                }

                var noise = Path.Combine(dir.FullName, "noise.wav");
                var seconds = ((double)samples.Length / rate).ToString("0.000", CultureInfo.InvariantCulture);
                await RunAsync("sox", ["-R", "-n", "-r", Str(rate), "-c", "1", "-b", "16", noise, "synth", seconds, "pinknoise", "vol", rendering.NoiseAmplitude.ToString("0.000", CultureInfo.InvariantCulture)], cancellationToken);
                await RunAsync("sox", ["-R", "-m", "-v", "1", speech, "-v", "1", noise, "-t", "raw", "-r", "8000", "-c", "1", "-e", "mu-law", output], cancellationToken);
            }
            else
            {
                await RunAsync("sox", ["-R", speech, "-t", "raw", "-r", "8000", "-c", "1", "-e", "mu-law", output], cancellationToken);
            }

            var lead = new byte[8000 * 400 / 1000];
            var tail = new byte[8000 * 1200 / 1000];
            Array.Fill(lead, MuLaw.Silence);
            Array.Fill(tail, MuLaw.Silence);
            return [.. lead, .. await File.ReadAllBytesAsync(output, cancellationToken), .. tail];
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Recognizes and scores every utterance, one at a time.</summary>
    /// <param name="recognizer">The recognizer.</param>
    /// <param name="withVocabulary">Open each stream with its business's vocabulary (a business-aware call) or without (the general model).</param>
    /// <param name="utterances">What to run (default the whole set).</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>One result per utterance, in order.</returns>
    public static async Task<IReadOnlyList<EvalResult>> RunAsync(ISpeechToText recognizer, bool withVocabulary, IReadOnlyList<EvalUtterance>? utterances = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recognizer);
        var set = PhoneSpeechEvalSet.Utterances;
        var results = new List<EvalResult>();
        foreach (var u in utterances ?? set)
        {
            int index = Math.Max(0, set.ToList().IndexOf(u));
            var rendering = PhoneSpeechEvalSet.RenderingOf(index);
            var audio = await RenderAsync(u.Text, rendering, cancellationToken);
            var (heard, confidence) = await RecognizeAsync(recognizer, audio, withVocabulary ? u.Business.Vocabulary : null, cancellationToken);
            results.Add(Score(u, rendering, heard, confidence));
        }

        return results;
    }

    /// <summary>Streams phone audio through <paramref name="recognizer"/> like a call and joins its final transcripts.</summary>
    /// <param name="recognizer">The recognizer.</param>
    /// <param name="muLaw">8 kHz μ-law audio.</param>
    /// <param name="vocabulary">The business's vocabulary, or null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The heard text and the lowest final confidence.</returns>
    public static async Task<(string Text, double Confidence)> RecognizeAsync(ISpeechToText recognizer, byte[] muLaw, Portal.Voice.SpeechToText.LanguageModels.SpeechVocabulary? vocabulary, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recognizer);
        ArgumentNullException.ThrowIfNull(muLaw);
        await using var stream = await recognizer.OpenAsync(new SpeechToTextOptions(AudioFormat.Phone, Vocabulary: vocabulary), cancellationToken);
        var finals = new List<TranscriptEvent>();
        var reading = Task.Run(async () =>
        {
            await foreach (var e in stream.ReadTranscriptsAsync(cancellationToken))
            {
                if (e.IsFinal && e.Text.Length > 0)
                {
                    finals.Add(e);
                }
            }
        }, cancellationToken);
        for (int offset = 0; offset < muLaw.Length; offset += 160)
        {
            await stream.SendAudioAsync(muLaw.AsMemory(offset, Math.Min(160, muLaw.Length - offset)), cancellationToken);
        }

        await stream.CompleteAsync(cancellationToken);
        await reading;
        return (string.Join(' ', finals.Select(f => f.Text)), finals.Count == 0 ? 0 : finals.Min(f => f.Confidence));
    }

    /// <summary>Scores one heard text against its utterance.</summary>
    /// <param name="utterance">The utterance.</param>
    /// <param name="rendering">How it was spoken.</param>
    /// <param name="heard">Recognized text.</param>
    /// <param name="confidence">Recognizer confidence.</param>
    /// <returns>The scored result.</returns>
    public static EvalResult Score(EvalUtterance utterance, EvalRendering rendering, string heard, double confidence)
    {
        ArgumentNullException.ThrowIfNull(utterance);
        var reference = TextNormalizer.Normalize(utterance.Text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var hypothesis = TextNormalizer.Normalize(heard).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        bool intent = IntentClassifier.Classify(heard).Intent == utterance.Intent;
        var refService = ServiceMatcher.Match(utterance.Text, utterance.Business.Services)?.Service.Id;
        var refTime = TemporalParser.Parse(utterance.Text, Now);
        bool? slots = refService is null && refTime is null
            ? null
            : ServiceMatcher.Match(heard, utterance.Business.Services)?.Service.Id == refService && SameTime(refTime, TemporalParser.Parse(heard, Now));
        return new EvalResult(utterance, rendering, heard, confidence, EditDistance(reference, hypothesis), reference.Length, intent, slots);
    }

    /// <summary>Totals of <paramref name="results"/>.</summary>
    /// <param name="results">Scored utterances.</param>
    /// <returns>The summary.</returns>
    public static EvalSummary Summarize(IReadOnlyList<EvalResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var slotBearing = results.Where(r => r.SlotsCorrect is not null).ToList();
        return new EvalSummary(
            results.Count,
            (double)results.Sum(r => r.WordErrors) / Math.Max(1, results.Sum(r => r.ReferenceWords)),
            results.Count(r => r.IntentCorrect) / (double)Math.Max(1, results.Count),
            slotBearing.Count(r => r.SlotsCorrect == true) / (double)Math.Max(1, slotBearing.Count),
            results.Count(r => r.Confidence >= MinConfidence) / (double)Math.Max(1, results.Count),
            results.Count == 0 ? 0 : results.Average(r => r.Confidence));
    }

    /// <summary>Word-level Levenshtein distance (substitutions, deletions, insertions each cost 1).</summary>
    /// <param name="reference">Reference words.</param>
    /// <param name="hypothesis">Recognized words.</param>
    /// <returns>The distance.</returns>
    public static int EditDistance(IReadOnlyList<string> reference, IReadOnlyList<string> hypothesis)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(hypothesis);
        var previous = Enumerable.Range(0, hypothesis.Count + 1).ToArray();
        var current = new int[hypothesis.Count + 1];
        for (int i = 1; i <= reference.Count; i++)
        {
            current[0] = i;
            for (int j = 1; j <= hypothesis.Count; j++)
            {
                int substitution = previous[j - 1] + (string.Equals(reference[i - 1], hypothesis[j - 1], StringComparison.Ordinal) ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[hypothesis.Count];
    }

    private static bool SameTime(TemporalMention? expected, TemporalMention? heard) =>
        expected is null || (heard is not null && expected.Date == heard.Date && expected.Time == heard.Time && expected.PartOfDay == heard.PartOfDay);

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, tool)));

    private static async Task RunAsync(string tool, string[] arguments, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"{tool} did not start.");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        _ = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} exited with {process.ExitCode}: {await stderr}");
        }
    }
}
