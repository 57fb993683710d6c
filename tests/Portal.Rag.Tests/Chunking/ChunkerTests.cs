using Portal.Rag.Chunking;
using Portal.Rag.Extraction;

namespace Portal.Rag.Tests.Chunking;

public sealed class ChunkerTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly Chunker Default = new();

    private static string Sentences(string topic, int count) =>
        string.Join(" ", Enumerable.Range(1, count).Select(i => $"Sentence {i} about {topic} explains one more detail that callers ask about."));

    [Fact]
    public void QuestionAndAnswer_StayInOneChunk_WithHeadingAndQuestionFirst()
    {
        var doc = new ExtractedDocument("FAQ", [new ExtractedSection(["FAQ", "Parking"], "Yes, there is free parking behind the building.", "Is there parking?")]);

        var chunk = Assert.Single(Default.Chunk(doc));

        Assert.Equal("FAQ › Parking\nIs there parking?\nYes, there is free parking behind the building.", chunk.Text);
        Assert.Equal("FAQ › Parking", chunk.Heading);
        Assert.Equal("Is there parking?", chunk.Question);
        Assert.Equal(Default.CountTokens(chunk.Text), chunk.TokenCount);
    }

    [Fact]
    public void QuestionAndAnswer_LongerThanTarget_StillWholeUpToTheQuestionAnswerMaximum()
    {
        var answer = Sentences("payment plans", 24);
        var doc = new ExtractedDocument("FAQ", [new ExtractedSection([], answer, "Do you offer payment plans?")]);
        var tokens = Default.CountTokens("Do you offer payment plans?\n" + answer);
        Assert.InRange(tokens, 301, 600);

        var chunk = Assert.Single(Default.Chunk(doc));

        Assert.Equal("Do you offer payment plans?\n" + answer, chunk.Text);
        Assert.Null(chunk.Heading);
    }

    [Fact]
    public void QuestionAndAnswer_VeryLong_EveryPartRepeatsTheQuestion()
    {
        var answer = Sentences("warranty terms", 60);
        var doc = new ExtractedDocument("FAQ", [new ExtractedSection(["Warranty"], answer, "What does the warranty cover?")]);

        var chunks = Default.Chunk(doc);

        Assert.True(chunks.Count >= 3);
        Assert.All(chunks, c =>
        {
            Assert.StartsWith("Warranty\nWhat does the warranty cover?\n", c.Text, StringComparison.Ordinal);
            Assert.Equal("What does the warranty cover?", c.Question);
            Assert.InRange(c.TokenCount, 1, 300);
        });
    }

    [Fact]
    public void LongSection_TokenBounded_HeadingCarriedIntoEveryChunk_NothingLost()
    {
        var paragraphs = Enumerable.Range(1, 12).Select(p => Sentences($"topic {p}", 5)).ToList();
        var doc = new ExtractedDocument("Guide", [new ExtractedSection(["Guide", "Brakes"], string.Join("\n\n", paragraphs), PageNumber: 3)]);

        var chunks = Default.Chunk(doc);

        Assert.True(chunks.Count >= 3, $"{chunks.Count} chunks");
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Ordinal));
        Assert.All(chunks, c =>
        {
            Assert.StartsWith("Guide › Brakes\n", c.Text, StringComparison.Ordinal);
            Assert.Equal("Guide › Brakes", c.Heading);
            Assert.Equal(3, c.PageNumber);
            Assert.InRange(c.TokenCount, 1, 300);
            Assert.Equal(Default.CountTokens(c.Text), c.TokenCount);
        });

        var all = string.Join("\n", chunks.Select(c => c.Text));
        foreach (var sentence in paragraphs.SelectMany(p => p.Split(". ")))
        {
            Assert.Contains(sentence.TrimEnd('.'), all, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void LongSection_SplitsAtParagraphBoundaries_WhenParagraphsFit()
    {
        var paragraphs = Enumerable.Range(1, 10).Select(p => Sentences($"paragraph {p}", 3)).ToList();
        var doc = new ExtractedDocument("Guide", [new ExtractedSection([], string.Join("\n\n", paragraphs))]);

        var chunks = new Chunker(new ChunkerOptions(OverlapRatio: 0)).Chunk(doc);

        Assert.True(chunks.Count >= 2);
        Assert.All(chunks, c =>
        {
            Assert.StartsWith("Sentence 1 about paragraph", c.Text, StringComparison.Ordinal);
            Assert.Matches(@"Sentence 3 about paragraph \d+ explains one more detail that callers ask about\.$", c.Text);
        });
    }

    [Fact]
    public void ConsecutiveChunks_Overlap_InWholeSentences_WithinTheRatio()
    {
        var text = Sentences("opening hours", 40);
        var doc = new ExtractedDocument("Hours", [new ExtractedSection([], text)]);
        var chunker = new Chunker(new ChunkerOptions(TargetTokens: 120, OverlapRatio: 0.25));

        var chunks = chunker.Chunk(doc);

        Assert.True(chunks.Count >= 3);
        for (var i = 1; i < chunks.Count; i++)
        {
            var previous = chunks[i - 1].Text;
            var firstSentence = chunks[i].Text[..(chunks[i].Text.IndexOf('.', StringComparison.Ordinal) + 1)];
            // The next chunk starts with a sentence the previous one ended with.
            Assert.Contains(firstSentence, previous[(previous.Length / 2)..], StringComparison.Ordinal);
            Assert.True(chunker.CountTokens(firstSentence) <= 30);
        }

        var noOverlap = new Chunker(new ChunkerOptions(TargetTokens: 120, OverlapRatio: 0)).Chunk(doc);
        Assert.True(noOverlap.Sum(c => c.TokenCount) < chunks.Sum(c => c.TokenCount));
        Assert.Equal(text, string.Join(" ", noOverlap.Select(c => c.Text)));
    }

    [Fact]
    public void GiantWordRun_IsCutBetweenWords_WithinBounds()
    {
        var text = string.Join(" ", Enumerable.Repeat("lorem", 2000));
        var chunks = Default.Chunk(new ExtractedDocument("x", [new ExtractedSection([], text)]));

        Assert.True(chunks.Count > 5);
        Assert.All(chunks, c => Assert.InRange(c.TokenCount, 1, 300));
        Assert.All(chunks, c => Assert.DoesNotContain("lor ", c.Text + " ", StringComparison.Ordinal));
    }

    [Fact]
    public void EmptySections_GiveNoChunks()
    {
        var doc = new ExtractedDocument("x", [new ExtractedSection(["A"], "   "), new ExtractedSection([], "\n\n"), new ExtractedSection(["B"], "Real text.")]);

        var chunk = Assert.Single(Default.Chunk(doc));

        Assert.Equal("B\nReal text.", chunk.Text);
        Assert.Equal(0, chunk.Ordinal);
    }

    [Fact]
    public void ChunksNeverSpanSections()
    {
        var doc = new ExtractedDocument("x", [new ExtractedSection(["Cleaning"], "A cleaning costs $120."), new ExtractedSection(["Whitening"], "Whitening costs $350.")]);

        var chunks = Default.Chunk(doc);

        Assert.Equal(["Cleaning\nA cleaning costs $120.", "Whitening\nWhitening costs $350."], chunks.Select(c => c.Text));
    }

    [Fact]
    public async Task RealPdf_AllChunksBounded()
    {
        await using var stream = TestFiles.Open("handbook-100-pages.pdf");
        var doc = await new DocumentExtractors().ExtractAsync(stream, "handbook-100-pages.pdf", new ExtractionLimits(), CancellationToken.None);

        Default.Chunk(doc);
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var chunks = Default.Chunk(doc);
        output.WriteLine($"Chunking 100 pages (warm): {stopwatch.ElapsedMilliseconds} ms, {chunks.Count} chunks, {chunks.Sum(c => c.TokenCount)} tokens");

        Assert.True(chunks.Count >= 100);
        Assert.All(chunks, c => Assert.InRange(c.TokenCount, 1, 300));
        Assert.Contains(chunks, c => c.Text.StartsWith("Chapter 42: Service topic 42\n", StringComparison.Ordinal) && c.PageNumber == 42);
    }

    [Theory]
    [InlineData(10, 0.15, 600)]
    [InlineData(300, 0.9, 600)]
    [InlineData(300, 0.15, 100)]
    public void InvalidOptions_Throw(int target, double overlap, int qaMax) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Chunker(new ChunkerOptions(target, overlap, qaMax)));
}
