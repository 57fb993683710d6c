using System.Text;

namespace Portal.Rag.Extraction;

/// <summary>
/// Turns uploaded bytes into text: UTF-8 (with or without BOM, or UTF-16 with BOM), else Windows-1252, refusing
/// binary content. Owners upload what their tools wrote: Notepad, Excel's "CSV" and older Word "Text" exports on
/// Western Windows write Windows-1252, whose letters ("Café", "Crème brûlée") are readable and worth answering
/// from, so such a file is decoded rather than refused.
/// </summary>
public static class TextDecoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Windows-1252 (https://www.unicode.org/Public/MAPPINGS/VENDORS/MICSFT/WINDOWS/CP1252.TXT): Latin-1 for 0xA0–0xFF,
    /// plus curly quotes, dashes and € at 0x80–0x9F where Latin-1 has invisible control codes. The five bytes it leaves
    /// undefined decode to U+FFFD.
    /// </summary>
    private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252) ?? Encoding.Latin1;

    /// <summary>
    /// Decodes <paramref name="bytes"/>. Bytes that are not valid UTF-8 are read as Windows-1252 (a superset of the
    /// printable Latin-1 range; what older spreadsheet and text exports write). Throws
    /// <see cref="DocumentExtractionException"/> for binary content (NUL bytes).
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
                text = Windows1252.GetString(bytes);
            }
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new DocumentExtractionException($"'{Path.GetFileName(fileName)}' looks like a binary file, not text.");
        }

        return text;
    }
}
