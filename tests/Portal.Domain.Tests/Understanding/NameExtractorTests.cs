using Portal.Domain.Conversations.Understanding;

namespace Portal.Domain.Tests.Understanding;

public sealed class NameExtractorTests
{
    [Theory]
    [InlineData("my name is Jane Doe", "Jane Doe")]
    [InlineData("I'm Jane", "Jane")]
    [InlineData("this is Jane Doe", "Jane Doe")]
    [InlineData("it's Jane", "Jane")]
    [InlineData("name's Jane", "Jane")]
    [InlineData("Jane Doe here", "Jane Doe")]
    [InlineData("call me Jane", "Jane")]
    [InlineData("hi my name is maria lopez and i need a cleaning", "Maria Lopez")]
    [InlineData("Hello. My name is Angela and I need to make an appointment", "Angela")]
    [InlineData("John is my name", "John")]
    [InlineData("Hi, this is Susan. I need to make a reservation at Lucca", "Susan")]
    [InlineData("I am Mark", "Mark")]
    [InlineData("I'm Alexis I would like an appointment with Dr Morgan", "Alexis")]
    [InlineData("My name is John, my doctor is Alexis", "John")]
    [InlineData("That's a lot, let's see, Angela is my name and the restaurant is Legume", "Angela")]
    [InlineData("my name is Mary-Jane O'Brien", "Mary-Jane O'Brien")]
    [InlineData("MY NAME IS BOB SMITH", "Bob Smith")]
    [InlineData("this is dave calling about my furnace", "Dave")]
    [InlineData("Yes its Ben, i would like it asap please", "Ben")]
    [InlineData("I'm Dr. Patel", "Patel")]
    [InlineData("yeah my name's bob", "Bob")]
    [InlineData("Dave Smith speaking", "Dave Smith")]
    [InlineData("this is Mike, I'm calling about my furnace", "Mike")]
    public void TryExtract_finds_names_introduced_by_a_phrase(string text, string expected)
    {
        Assert.Equal(expected, NameExtractor.TryExtract(text, expectingName: false));
    }

    [Theory]
    [InlineData("Jane Doe", "Jane Doe")]
    [InlineData("jane", "Jane")]
    [InlineData("It's Maria Lopez, thanks", "Maria Lopez")]
    [InlineData("Sure, John Smith", "John Smith")]
    [InlineData("Alexis.", "Alexis")]
    [InlineData("um it's Bob", "Bob")]
    [InlineData("Mark", "Mark")]
    [InlineData("maria de la cruz", "Maria De La Cruz")]
    public void TryExtract_accepts_a_bare_name_when_the_agent_asked_for_it(string text, string expected)
    {
        Assert.Equal(expected, NameExtractor.TryExtract(text, expectingName: true));
    }

    [Theory]
    [InlineData("I'm looking for a dentist", true)]
    [InlineData("I'm good", true)]
    [InlineData("this is urgent", true)]
    [InlineData("it's for a cleaning", true)]
    [InlineData("yes", true)]
    [InlineData("tomorrow", true)]
    [InlineData("555 1234", true)]
    [InlineData("Jane Doe", false)]
    [InlineData("I'm not feeling very well", false)]
    [InlineData("I'm calling about my appointment", false)]
    [InlineData("I'm thinking 31 if nobody flakes on me", false)]
    [InlineData("It's a two bedroom so even if my hot date sucks", false)]
    [InlineData("sure", true)]
    [InlineData("I'm really not sure", true)]
    [InlineData("ok thanks", true)]
    [InlineData("Tuesday at 9 pm", true)]
    [InlineData("I need a cleaning", true)]
    [InlineData("hello", true)]
    [InlineData("no", true)]
    [InlineData("Oops! I have a hot date on Wednesday at 12 pm", true)]
    [InlineData("I'm interested in whitening", false)]
    [InlineData("It is 8 pm now I would like to see her", false)]
    [InlineData("", true)]
    [InlineData("I'm John's wife", false)]
    [InlineData("Christmas eve", true)]
    [InlineData("noonish", true)]
    [InlineData("I'm new here", false)]
    [InlineData("I am the owner", false)]
    [InlineData("Hi, it's me again", false)]
    public void TryExtract_never_returns_ordinary_words(string text, bool expectingName)
    {
        Assert.Null(NameExtractor.TryExtract(text, expectingName));
    }

    [Theory]
    [InlineData("I'm Will", false, "Will")]
    [InlineData("I'm Will.", false, "Will")]
    [InlineData("Hi, I'm Will, I need a cleaning", false, "Will")]
    [InlineData("this is Hope", false, "Hope")]
    [InlineData("my name is May", false, "May")]
    [InlineData("I'm Will", true, "Will")]
    [InlineData("Will", true, "Will")]
    [InlineData("I'm Will Smith", true, "Will Smith")]
    [InlineData("Jane doe", true, "Jane Doe")]
    [InlineData("my name is Jane doe", true, "Jane Doe")]
    [InlineData("It's Maria lopez", true, "Maria Lopez")]
    [InlineData("my name is Jane doe", false, "Jane")]
    public void TryExtract_accepts_names_that_are_also_words_and_lower_case_surnames_in_context(string text, bool expectingName, string expected)
    {
        Assert.Equal(expected, NameExtractor.TryExtract(text, expectingName));
    }

    [Theory]
    [InlineData("I'm will be late", true)]
    [InlineData("I will call back", true)]
    [InlineData("I'm Will be late", false)]
    [InlineData("May I ask a question?", true)]
    [InlineData("i'm will", false)]
    [InlineData("I hope so", true)]
    public void TryExtract_does_not_take_ambiguous_words_out_of_context(string text, bool expectingName)
    {
        Assert.Null(NameExtractor.TryExtract(text, expectingName));
    }

    [Fact]
    public void TryExtract_returns_at_most_four_words()
    {
        Assert.Equal("Anna Maria Luisa Ortega", NameExtractor.TryExtract("my name is Anna Maria Luisa Ortega Ramirez", expectingName: false));
    }
    [Theory]
    [InlineData("I'm after a haircut for Friday at 3", false)]
    [InlineData("I'm after something for a chipped tooth", false)]
    [InlineData("Hi, I'm keen on booking a therapy session", false)]
    [InlineData("I'm due for a cleaning", false)]
    [InlineData("I'm desperate for an appointment", false)]
    [InlineData("I'm over in Hoboken", false)]
    [InlineData("I'm in Tacoma, do you have an opening?", false)]
    [InlineData("Portland", true)]
    [InlineData("Chicago", true)]
    [InlineData("Sacramento.", true)]
    [InlineData("all good", true)]
    public void TryExtract_does_not_take_predicates_or_one_word_places_for_names(string text, bool expectingName)
    {
        Assert.Null(NameExtractor.TryExtract(text, expectingName));
    }

    [Theory]
    [InlineData("Brooklyn")]
    [InlineData("Austin")]
    [InlineData("Seattle")]
    public void TryExtractVolunteered_does_not_take_a_place_said_alone(string text)
    {
        Assert.Null(NameExtractor.TryExtractVolunteered(text));
    }

    [Theory]
    [InlineData("Austin", true, "Austin")]
    [InlineData("You can put it under Grace Kim", true, "Grace Kim")]
    [InlineData("Put it under Rafael Soto please", false, "Rafael Soto")]
    [InlineData("book it under the name Ola Berg", false, "Ola Berg")]
    [InlineData("first name Nadia, last name Petrova", true, "Nadia Petrova")]
    [InlineData("my first name is Tom and my surname is Hardy", false, "Tom Hardy")]
    [InlineData("all good, Henry Walsh", true, "Henry Walsh")]
    [InlineData("Yes that's right, Oscar Lind", true, "Oscar Lind")]
    [InlineData("Sorry, Eve Adams", true, "Eve Adams")]
    [InlineData("Holly Burns", true, "Holly Burns")]
    [InlineData("Pam Beesly", true, "Pam Beesly")]
    [InlineData("Hope Lang", true, "Hope Lang")]
    [InlineData("Hi I'm Jenna, I'd like a color", false, "Jenna")]
    [InlineData("I'm Jenna and I need a trim", false, "Jenna")]
    public void TryExtract_reads_names_in_frames_and_after_an_acknowledgment(string text, bool expectingName, string expected)
    {
        Assert.Equal(expected, NameExtractor.TryExtract(text, expectingName));
    }
}
