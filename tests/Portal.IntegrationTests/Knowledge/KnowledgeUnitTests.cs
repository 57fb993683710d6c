using Portal.Data.Entities;
using Portal.Rag.Chunking;
using Portal.Rag.Extraction;
using Portal.Rag.Ingestion;
using Portal.Rag.Retrieval;

namespace Portal.IntegrationTests.Knowledge;

public sealed class KnowledgeUnitTests
{
    [Fact]
    public void Rrf_SumsReciprocalRanks_WithK60()
    {
        var fused = ReciprocalRankFusion.Fuse<string>([["a", "b", "c"], ["b", "a"], ["c"]]);
        var score = fused.ToDictionary(f => f.Item, f => f.Score);
        Assert.Equal((1.0 / 61) + (1.0 / 62), score["a"], 12);
        Assert.Equal((1.0 / 62) + (1.0 / 61), score["b"], 12);
        Assert.Equal((1.0 / 63) + (1.0 / 61), score["c"], 12);
    }

    [Fact]
    public void Rrf_OrdersByFusedScore_TiesByFirstAppearance()
    {
        var fused = ReciprocalRankFusion.Fuse<string>([["a", "b", "c"], ["b", "a"], ["c"]]);
        Assert.Equal(["a", "b", "c"], fused.Select(f => f.Item));
        var single = ReciprocalRankFusion.Fuse<int>([[7, 7, 8]], k: 0);
        Assert.Equal(1.0, single[0].Score);
        Assert.Equal(1.0 / 3, single[1].Score, 12); // the repeated 7 adds nothing; 8 keeps its position, rank 3
    }

    [Fact]
    public void VectorTopK_ReturnsBestCosines_InScope()
    {
        var agent = Guid.NewGuid();
        float[] rows = [1, 0, 0.6f, 0.8f, 0, 1];
        var matrix = new VectorMatrix("m", 2, [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()], [null, Guid.NewGuid(), agent], rows);
        var top = matrix.TopK([1, 0], null, 2);
        Assert.Equal([matrix.ChunkIds[0], matrix.ChunkIds[1]], top.Select(t => t.ChunkId));
        Assert.Equal(0.6f, top[1].Cosine, 5);
        var scoped = matrix.TopK([0, 1], agent, 3);
        Assert.Equal([matrix.ChunkIds[2], matrix.ChunkIds[0]], scoped.Select(t => t.ChunkId));
        Assert.Throws<ArgumentException>(() => matrix.TopK([1, 0, 0], null, 1));
    }

    [Fact]
    public void VectorMatrix_CosinesOf_ScoresTheNamedRowsOnly()
    {
        float[] rows = [1, 0, 0.6f, 0.8f, 0, 1];
        var matrix = new VectorMatrix("m", 2, [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()], [null, null, null], rows);
        var unknown = Guid.NewGuid();
        var cosines = matrix.CosinesOf([0, 1], new HashSet<Guid> { matrix.ChunkIds[1], matrix.ChunkIds[2], unknown });
        Assert.Equal(2, cosines.Count);
        Assert.Equal(0.8f, cosines[matrix.ChunkIds[1]], 5);
        Assert.Equal(1f, cosines[matrix.ChunkIds[2]], 5);
        Assert.False(cosines.ContainsKey(unknown));
        Assert.Empty(matrix.CosinesOf([0, 1], new HashSet<Guid>()));
        Assert.Throws<ArgumentException>(() => matrix.CosinesOf([1, 0, 0], new HashSet<Guid> { matrix.ChunkIds[0] }));
    }

    [Theory]
    [InlineData("Um, do you do BRACES??", "do you do braces")]
    [InlineData("What's your  address?", "whats your address")]
    [InlineData("?!", "")]
    public void GapQuestions_AreNormalized(string question, string expected) => Assert.Equal(expected, KnowledgeGapStore.Normalize(question));

    [Fact]
    public void Chunker_KeepsQuestionAndAnswerTogether_CarriesHeadings_AndSeparatesTheQuotableBody()
    {
        var document = TextExtractor.Extract("# Prices\n\n## Cleaning\n\nA cleaning is $120.\n\nQ: Do you take cards?\nA: Yes, all major cards.\n\n# Hours\n\nOpen 9 to 5.", "prices.md");
        var chunks = new Chunker().Chunk(document);
        Assert.Equal(3, chunks.Count);
        Assert.Equal(("Prices › Cleaning", "Prices › Cleaning\nA cleaning is $120.", "A cleaning is $120."), (chunks[0].Heading, chunks[0].Text, chunks[0].Quotable));
        Assert.Equal(("Do you take cards?", "Prices › Cleaning\nDo you take cards?\nYes, all major cards.", "Yes, all major cards."), (chunks[1].Question, chunks[1].Text, chunks[1].Quotable));
        Assert.Equal("Hours", chunks[2].Heading);
        Assert.Equal([0, 1, 2], chunks.Select(c => c.Ordinal));
        Assert.Equal("Prices › Cleaning\nDo you take cards?\nYes, all major cards.", KnowledgeIndexer.EmbeddingText(chunks[1]));
    }

    [Fact]
    public void Faq_HasOneChunk_AndRefusesBlankInput()
    {
        var doc = KnowledgeDocument.NewFaq(Guid.NewGuid(), " Q? ", " A. ");
        Assert.Equal(("Q?", "A.", KnowledgeStatus.Ready), (doc.Title, doc.FaqAnswer, doc.Status));
        Assert.Equal(KnowledgeDocument.Hash("Q?\nA."u8), doc.ContentHash);
        Assert.Throws<ArgumentException>(() => KnowledgeDocument.NewFaq(Guid.NewGuid(), "", "A"));
        Assert.Throws<ArgumentException>(() => KnowledgeDocument.NewFaq(Guid.NewGuid(), "Q", new string('x', KnowledgeDocument.AnswerMaxLength + 1)));
    }
}
