namespace Portal.Rag.Extraction;

/// <summary>
/// Reads an upload into memory without ever holding more than the size limit: a seekable stream
/// longer than the limit is refused before any byte is read, any other stream is counted while it
/// is copied and cut off at the limit (a 2 GB upload costs at most the limit plus one buffer).
/// </summary>
public static class BoundedReader
{
    private const int BufferBytes = 81920;

    /// <summary>
    /// Copies <paramref name="content"/> into a byte array of at most <paramref name="maxBytes"/> bytes.
    /// Throws <see cref="DocumentExtractionException"/> when the content is longer than that.
    /// </summary>
    public static async Task<byte[]> ReadAsync(Stream content, string fileName, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.CanSeek && content.Length - content.Position > maxBytes)
        {
            throw TooLarge(fileName, maxBytes);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[BufferBytes];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(fileName, maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>The owner-facing error for a file over <paramref name="maxBytes"/>.</summary>
    public static DocumentExtractionException TooLarge(string fileName, long maxBytes) =>
        new($"'{Path.GetFileName(fileName)}' is larger than the {FormatSize(maxBytes)} limit. Split it into smaller files or remove images.");

    /// <summary>Formats a byte count for people: "20 MB", "512 KB", "900 bytes".</summary>
    public static string FormatSize(long bytes) => bytes switch
    {
        >= 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.#} MB",
        >= 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes} bytes",
    };
}
