using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Fakes.Recognition;
using Portal.Voice.SpeechToText;

namespace Portal.Voice.Benchmarks;

/// <summary>
/// `--asr-eval`: the phone speech evaluation (<see cref="PhoneSpeechEvalSet"/>) through pocketsphinx with the general
/// English model (before) and with each business's own model (after); prints word error rate, intent and slot accuracy,
/// the share the call would trust (confidence ≥ 0.4), and with --verbose every utterance.
/// </summary>
internal static class AsrEval
{
    public static async Task<int> RunAsync(bool verbose, bool businessOnly, bool sentencePosterior, IReadOnlyList<string> decoderArguments)
    {
        var options = new PocketsphinxOptions { CacheDirectory = Path.Combine(Path.GetTempPath(), "portal-asr-eval-cache"), WordPosteriorConfidence = !sentencePosterior };
        foreach (var a in decoderArguments)
        {
            options.DecoderArguments.Add(a);
        }

        using var stt = new PocketsphinxSpeechToText(Options.Create(options), NullLoggerFactory.Instance);
        if (!stt.IsAvailable || !PhoneSpeechEval.ToolsInstalled)
        {
            Console.Error.WriteLine($"needs pocketsphinx, espeak-ng and sox: {stt.UnavailableReason ?? "espeak-ng or sox missing"}");
            return 2;
        }

        Console.WriteLine($"Offline phone speech recognition: {PhoneSpeechEvalSet.Utterances.Count} utterances, 8 kHz mu-law, load average {LoadAverage()}");
        Console.WriteLine("| Model | Utterances | WER | Intent accuracy | Slot accuracy (service + date/time) | Trusted (conf >= 0.4) | Mean confidence | Seconds |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (label, withVocabulary) in new[] { ("general en-us (before)", false), ("business trigram (after)", true) })
        {
            if (businessOnly && !withVocabulary)
            {
                continue;
            }

            var clock = Stopwatch.StartNew();
            var results = await PhoneSpeechEval.RunAsync(stt, withVocabulary);
            var s = PhoneSpeechEval.Summarize(results);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {s.Utterances} | {s.WordErrorRate:P1} | {s.IntentAccuracy:P1} | {s.SlotAccuracy:P1} | {s.Accepted:P1} | {s.MeanConfidence:0.00} | {clock.Elapsed.TotalSeconds:0} |"));
            if (verbose)
            {
                foreach (var r in results)
                {
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  [{label}] {r.Rendering,-28} conf {r.Confidence:0.00} err {r.WordErrors}/{r.ReferenceWords} intent {(r.IntentCorrect ? "ok" : "MISS")} slots {(r.SlotsCorrect is null ? "-" : r.SlotsCorrect.Value ? "ok" : "MISS")}  \"{r.Utterance.Text}\" -> \"{r.Heard}\""));
                }
            }
        }

        // The issue's sentence at 160 wpm (and at 120, where "cleaning" and "ten" were lost before).
        Console.WriteLine();
        Console.WriteLine("| Booking sentence | Model | Heard | Confidence | Intent, service, day and time understood |");
        Console.WriteLine("|---|---|---|---:|---|");
        foreach (int wpm in new[] { 160, 120 })
        {
            var rendering = new EvalRendering(wpm, "en-us", 50, 0);
            var audio = await PhoneSpeechEval.RenderAsync(PhoneSpeechEvalSet.TargetBooking.Text, rendering);
            foreach (var (label, withVocabulary) in new[] { ("general", false), ("business", true) })
            {
                var (heard, confidence) = await PhoneSpeechEval.RecognizeAsync(stt, audio, withVocabulary ? PhoneSpeechEvalSet.Dental.Vocabulary : null);
                var r = PhoneSpeechEval.Score(PhoneSpeechEvalSet.TargetBooking, rendering, heard, confidence);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {wpm} wpm | {label} | {heard} | {confidence:0.00} | {(r.IntentCorrect && r.SlotsCorrect == true ? "yes" : "no")} |"));
            }
        }

        return 0;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
