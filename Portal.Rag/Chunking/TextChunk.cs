namespace Portal.Rag.Chunking;

/// <summary>One indexable piece of a document.</summary>
/// <param name="Ordinal">0-based position in the document.</param>
/// <param name="Text">Text to index and quote: the heading path carried in, then the body (for a question/answer pair: the question, then the answer, together).</param>
/// <param name="Heading">Heading path joined with " › ", or null at the top level.</param>
/// <param name="TokenCount">Tokens in <paramref name="Text"/> by the chunker's tokenizer.</param>
/// <param name="PageNumber">1-based source page, when known.</param>
/// <param name="Question">The question of a question/answer chunk, else null.</param>
/// <param name="Body">
/// <paramref name="Text"/> without the heading path carried in and, for a question/answer chunk, without the question: the
/// words a caller is read (an FAQ row's answer, a passage). Null when it equals <paramref name="Text"/>. The index stores the
/// heading and question in their own fields, so retrieval can weigh them apart from the body.
/// </param>
public sealed record TextChunk(int Ordinal, string Text, string? Heading, int TokenCount, int? PageNumber = null, string? Question = null, string? Body = null)
{
    /// <summary>The body to quote: <see cref="Body"/> when set, else <see cref="Text"/>.</summary>
    public string Quotable => Body ?? Text;
}
