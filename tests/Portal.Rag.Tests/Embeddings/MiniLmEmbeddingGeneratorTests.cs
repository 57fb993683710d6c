using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Rag.Embeddings;

namespace Portal.Rag.Tests.Embeddings;

public sealed class MiniLmEmbeddingGeneratorTests(MiniLmFixture fixture) : IClassFixture<MiniLmFixture>
{
    private readonly MiniLmEmbeddingGenerator _model = fixture.Generator;

    private async Task<float[][]> EmbedAsync(params string[] texts) =>
        [.. (await _model.GenerateAsync(texts)).Select(e => e.Vector.ToArray())];

    [Fact]
    public async Task Generate_Returns384UnitLengthVectors_OnePerText_InOrder_WithTheModelId()
    {
        string[] texts = ["Where can I park?", "", "A full synthetic oil change costs $79 and a conventional oil change $49, including a new filter.", "Where can I park?"];

        var generated = await _model.GenerateAsync(texts);

        Assert.Equal(texts.Length, generated.Count);
        Assert.All(generated, e =>
        {
            Assert.Equal(MiniLmEmbeddingGenerator.Dimensions, e.Vector.Length);
            Assert.Equal(1.0, TensorPrimitives.Norm(e.Vector.Span), 3);
            Assert.Equal(MiniLmEmbeddingGenerator.ModelId, e.ModelId);
        });
        Assert.Equal(generated[0].Vector.ToArray(), generated[3].Vector.ToArray()); // deterministic
        Assert.NotEqual(generated[0].Vector.ToArray(), generated[2].Vector.ToArray());
        Assert.Equal(MiniLmEmbeddingGenerator.ModelId, _model.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId);
        Assert.Equal(384, _model.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions);
    }

    [Theory]
    [InlineData("where do I leave my car", "Is there parking? There is free parking behind the building.", "Do you sell gift cards? Gift cards from $20 never expire.")]
    [InlineData("can I bring my puppy", "Are dogs allowed? Well-behaved dogs on a lead are welcome on the terrace.", "What payment methods do you accept? All major cards and Apple Pay.")]
    [InlineData("my gearbox is slipping", "Do you repair transmissions? We do transmission fluid services and clutch replacements.", "Do you have wifi? Free wifi is available to guests.")]
    [InlineData("how much to make my smile brighter", "Do you offer teeth whitening? In-office whitening costs $350.", "Is there parking? There is free parking behind the building.")]
    public async Task Similarity_OfAParaphraseWithNoSharedWord_IsHigherThanOfAnUnrelatedAnswer(string question, string related, string unrelated)
    {
        var v = await EmbedAsync(question, related, unrelated);

        var toRelated = TensorPrimitives.Dot(v[0].AsSpan(), v[1]);
        var toUnrelated = TensorPrimitives.Dot(v[0].AsSpan(), v[2]);

        Assert.True(toRelated > toUnrelated + 0.05, $"related {toRelated:F2}, unrelated {toUnrelated:F2}");
    }

    [Fact]
    public async Task Batch_GivesTheSameVectorsAsOneByOne_WhateverTheLengths()
    {
        // Long texts go through the bulk lane, sorted by length and padded per batch; short ones through the interactive slot.
        var texts = Enumerable.Range(0, 20).Select(i => string.Join(' ', Enumerable.Repeat($"Our office {i} offers cleanings, fillings and crowns.", 1 + (i % 7) * 5))).ToArray();

        var batch = await EmbedAsync(texts);

        for (var i = 0; i < texts.Length; i += 6)
        {
            var single = (await EmbedAsync(texts[i]))[0];
            Assert.True(TensorPrimitives.CosineSimilarity(batch[i].AsSpan(), single) > 0.999, $"text {i}");
        }
    }

    [Fact]
    public async Task ConcurrentCalls_AllComplete_WithTheirOwnVectors()
    {
        string[] questions = ["what are your hours", "where can I park", "do you take walk-ins", "how much is a haircut", "can I pay by card", "do you have wifi"];
        var expected = await EmbedAsync(questions);

        var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(async () => (i, v: (await EmbedAsync(questions[i % questions.Length]))[0]))));

        Assert.All(results, r => Assert.True(TensorPrimitives.CosineSimilarity(r.v.AsSpan(), expected[r.i % questions.Length]) > 0.999));
    }

    [Fact]
    public async Task ACancelledRequest_Throws_AndTheModelStaysUsable()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _model.GenerateAsync(["where can I park"], cancellationToken: cancelled.Token));
        Assert.Single(await _model.GenerateAsync(["where can I park"]));
    }

    [Fact]
    public void TheModel_IsLoadedOnFirstUse_NotWhenTheGeneratorIsCreated()
    {
        using var generator = new MiniLmEmbeddingGenerator(Options.Create(new LocalEmbeddingOptions()), NullLogger<MiniLmEmbeddingGenerator>.Instance);

        Assert.False(generator.IsLoaded);
        Assert.Equal(0.55, generator.GetService<EmbeddingCalibration>()?.MinimumCosine);
    }
}
