using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Domain.Conversations.Understanding;
using Portal.Fakes.Recognition;
using Portal.Voice.SpeechToText;

namespace Portal.Voice.Tests.Providers;

/// <summary>
/// Keyless phone speech with the business's own language model, on the evaluation set of docs/benchmarks.md
/// ("Offline phone speech recognition"): floors well under the measured figures (WER 42.9 %, intent 72 %, slots 48 %),
/// so a regression of the corpus, the model builder or the decoder wiring fails here.
/// </summary>
public sealed class PhoneSpeechRecognitionTests : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("portal-asr-test-").FullName;
    private readonly PocketsphinxSpeechToText _stt;

    public PhoneSpeechRecognitionTests() =>
        _stt = new PocketsphinxSpeechToText(Options.Create(new PocketsphinxOptions { CacheDirectory = _cache }), NullLoggerFactory.Instance);

    public void Dispose()
    {
        _stt.Dispose();
        Directory.Delete(_cache, recursive: true);
    }

    private void SkipUnlessInstalled() =>
        Skip.IfNot(_stt.IsAvailable && PhoneSpeechEval.ToolsInstalled, "needs libpocketsphinx3, pocketsphinx-en-us, espeak-ng and sox");

    [SkippableFact]
    public async Task BookingSentenceAt160Wpm_IsUnderstood_WithServiceDayAndTime_AndTrusted()
    {
        SkipUnlessInstalled();
        var target = PhoneSpeechEvalSet.TargetBooking;
        var audio = await PhoneSpeechEval.RenderAsync(target.Text, new EvalRendering(160, "en-us", 50, 0));

        var (heard, confidence) = await PhoneSpeechEval.RecognizeAsync(_stt, audio, target.Business.Vocabulary);

        Assert.Equal(Intent.Book, IntentClassifier.Classify(heard).Intent);
        Assert.Equal("Teeth Cleaning", ServiceMatcher.Match(heard, target.Business.Services)?.Service.Name);
        var when = TemporalParser.Parse(heard, PhoneSpeechEval.Now);
        Assert.NotNull(when);
        Assert.Equal(DateOnly.FromDateTime(PhoneSpeechEval.Now).AddDays(1), when.Date);
        Assert.Equal(new TimeOnly(10, 0), when.Time);
        Assert.True(confidence >= PhoneSpeechEval.MinConfidence, $"confidence {confidence:0.00} for \"{heard}\"");
    }

    [SkippableFact]
    public async Task EvaluationSet_WithBusinessModel_MeetsFloors()
    {
        SkipUnlessInstalled();

        var results = await PhoneSpeechEval.RunAsync(_stt, withVocabulary: true);
        var summary = PhoneSpeechEval.Summarize(results);

        Assert.True(PhoneSpeechEvalSet.Utterances.Count >= 40);
        Assert.Equal(PhoneSpeechEvalSet.Utterances.Count, summary.Utterances);
        var detail = string.Join('\n', results.Select(r => $"{r.Rendering}: \"{r.Utterance.Text}\" -> \"{r.Heard}\""));
        Assert.True(summary.WordErrorRate <= 0.55, $"WER {summary.WordErrorRate:P1}\n{detail}");
        Assert.True(summary.IntentAccuracy >= 0.60, $"intent accuracy {summary.IntentAccuracy:P1}\n{detail}");
        Assert.True(summary.SlotAccuracy >= 0.35, $"slot accuracy {summary.SlotAccuracy:P1}\n{detail}");
    }

    [Fact]
    public void Scoring_CountsWordErrorsOnNormalizedText_AndChecksSlots()
    {
        var target = PhoneSpeechEvalSet.TargetBooking;

        var exact = PhoneSpeechEval.Score(target, PhoneSpeechEvalSet.RenderingOf(0), "hi i would like to book a cleaning tomorrow at ten in the morning", 0.5);
        var wrongTime = PhoneSpeechEval.Score(target, PhoneSpeechEvalSet.RenderingOf(0), "hi i'd like to book a cleaning tomorrow at two in the morning", 0.5);
        var lost = PhoneSpeechEval.Score(target, PhoneSpeechEvalSet.RenderingOf(0), "i i'd like to book a meeting tomorrow and in the morning", 0.2);

        Assert.Equal(0, exact.WordErrors);
        Assert.True(exact.IntentCorrect && exact.SlotsCorrect == true);
        Assert.Equal(1, wrongTime.WordErrors);
        Assert.False(wrongTime.SlotsCorrect);
        Assert.Equal(4, lost.WordErrors);
        Assert.False(lost.SlotsCorrect);
        Assert.Equal(3, PhoneSpeechEval.EditDistance(["a", "b", "c"], []));
        Assert.Equal(2, PhoneSpeechEval.EditDistance([], ["x", "y"]));
    }
}
