using Portal.Voice.TextToSpeech;

namespace Portal.Voice.Tests.TextToSpeech;

/// <summary>
/// The root of a bug that made calls silent (ADR-013): <c>espeak-ng --voices=en</c> lists variants ("Storm", file <c>!v/Storm</c>) and
/// mbrola voices beside the language voices; the wizard offered "Storm (female)" = <c>variant+f3</c>, which espeak-ng
/// cannot speak. The table below is espeak-ng 1.51's output (Debian 12), cut to one row of each kind.
/// </summary>
public sealed class EspeakVoiceListTests
{
    private const string Table = """
        Pty Language       Age/Gender VoiceName          File                 Other Languages
         2  en-gb           --/M      English_(Great_Britain) gmw/en               (en 2)
         3  en-uk           --/M      english-mb-en1     mb/mb-en1            (en-gb 3)(en 2)
         2  en-us           --/M      English_(America)  gmw/en-US            (en 3)
         5  en-us           --/F      us-mbrola-1        mb/mb-us1            (en 8)
         9  en              --/F      en-german-1        mb/mb-de1-en         
         5  variant         --/M      Storm              !v/Storm             (en-us 5)
         5  en-us-nyc       --/M      English_(America,_New_York_City) gmw/en-US-nyc        
        """;

    [Fact]
    public void ParseVoiceList_OffersEachLanguageVoiceMaleAndFemale_AndSkipsVariantsAndMbrola()
    {
        var voices = EspeakTextToSpeech.ParseVoiceList(Table);

        Assert.Equal(
            ["en-gb", "en-gb+f3", "en-us", "en-us+f3", "en-us-nyc", "en-us-nyc+f3"],
            voices.Select(v => v.Id));
        Assert.Equal("English (Great Britain), male", voices[0].Name);
        Assert.Equal("English (America, New York City), female", voices[^1].Name);
        Assert.DoesNotContain(voices, v => v.Id.StartsWith("variant", StringComparison.Ordinal) || v.Name.Contains("Storm", StringComparison.Ordinal));
    }

    [Fact]
    public void ParseVoiceList_WithOnlyAHeader_IsEmpty()
    {
        Assert.Empty(EspeakTextToSpeech.ParseVoiceList("Pty Language       Age/Gender VoiceName          File                 Other Languages\n"));
    }
}
