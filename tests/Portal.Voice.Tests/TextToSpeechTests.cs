using Microsoft.Extensions.Logging.Abstractions;
using Portal.Voice.TextToSpeech;

namespace Portal.Voice.Tests;

public sealed class TextToSpeechTests
{
    [Fact]
    public async Task Espeak_ListsEnglishVoices_AndSynthesizesWav()
    {
        var tts = new EspeakTextToSpeech(NullLogger<EspeakTextToSpeech>.Instance);
        var voices = await tts.ListVoicesAsync(CancellationToken.None);
        Assert.Contains(voices, v => v.Id == "en-us");
        Assert.DoesNotContain(voices, v => v.Name.Contains("mbrola", StringComparison.OrdinalIgnoreCase));
        var audio = await tts.SynthesizeAsync("Thanks for calling.", "en-us", CancellationToken.None);
        Assert.Equal("audio/wav", audio.ContentType);
        Assert.Equal("RIFF"u8.ToArray(), audio.Audio[..4]);
    }

    [Theory]
    [InlineData("", "en-us")]
    [InlineData("Hello", "xx-unknown")]
    [InlineData("Hello", "--help")]
    public async Task Espeak_RefusesEmptyTextAndUnknownVoices(string text, string voice)
    {
        var tts = new EspeakTextToSpeech(NullLogger<EspeakTextToSpeech>.Instance);
        await Assert.ThrowsAsync<ArgumentException>(() => tts.SynthesizeAsync(text, voice, CancellationToken.None));
    }
}
