using Portal.Llm.Engine;

namespace Portal.IntegrationTests.Llm;

/// <summary>The reply-length cap of <see cref="ModelDialogueEngine"/>: a long streamed reply stops after a whole sentence.</summary>
public sealed class ReplyCapTests
{
    [Fact]
    public void BeforeFourFifths_APieceThatFits_IsKeptWhole() =>
        Assert.Equal(("We open at nine. ", false), ModelDialogueEngine.CapPiece(10, ' ', "We open at nine. ", 100));

    [Fact]
    public void PastFourFifths_TheReplyEndsAtTheFirstSentenceEnd()
    {
        var (piece, full) = ModelDialogueEngine.CapPiece(70, ' ', "pancakes are $9.50 each. Waffles are $8. Crepes", 100);
        Assert.Equal("pancakes are $9.50 each.", piece); // "$9.50" is not a sentence end
        Assert.True(full);
    }

    [Fact]
    public void AnAbbreviationsPeriod_IsNotASentenceEnd() =>
        Assert.Equal(("ask for Dr. Lee at the St. James office.", true), ModelDialogueEngine.CapPiece(150, ' ', "ask for Dr. Lee at the St. James office. More", 200));

    [Fact]
    public void ASentenceEndAtThePiecesEdge_EndsTheReplyWhenTheNextPieceStartsWithASpace() =>
        Assert.Equal(("", true), ModelDialogueEngine.CapPiece(85, '.', " Anything else?", 100));

    [Fact]
    public void AtTheCapWithoutASentenceEnd_TheCutIsAtTheLastSpace() =>
        Assert.Equal(("and then", true), ModelDialogueEngine.CapPiece(90, 'x', "and then something", 100));

    [Fact]
    public void AtTheCapWithoutASpace_TheCutIsAtTheCap() =>
        Assert.Equal(("abcd", true), ModelDialogueEngine.CapPiece(96, 'x', "abcdefgh", 100));
}
