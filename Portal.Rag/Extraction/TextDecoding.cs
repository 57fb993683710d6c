using System.Text;

namespace Portal.Rag.Extraction;

/// <summary>Turns uploaded bytes into text: UTF-8 (with or without BOM, or UTF-16 with BOM), refusing binary content.</summary>
public static class TextDecoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Decodes <paramref name="bytes"/>. Invalid UTF-8 falls back to Latin-1 (what older spreadsheet
    /// exports write). Throws <see cref="DocumentExtractionException"/> for binary content (NUL bytes).
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string fileName)
    {
        string text;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            text = Encoding.Unicode.GetString(bytes[2..]);
        }
        else if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            text = Encoding.BigEndianUnicode.GetString(bytes[2..]);
        }
        else
        {
            if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                bytes = bytes[3..];
            }

            try
            {
                text = StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                text = Encoding.Latin1.GetString(bytes);
            }
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new DocumentExtractionException($"'{Path.GetFileName(fileName)}' looks like a binary file, not text.");
        }

        return text;
    }
}
