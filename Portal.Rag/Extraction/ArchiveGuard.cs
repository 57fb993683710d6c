using System.IO.Compression;

namespace Portal.Rag.Extraction;

/// <summary>
/// Refuses ZIP-based documents (DOCX, XLSX: Open Packaging Conventions, ECMA-376 Part 2) that would expand
/// beyond <see cref="ExtractionLimits.MaxArchiveEntries"/> entries or <see cref="ExtractionLimits.MaxUncompressedBytes"/>
/// bytes once decompressed (an "expansion bomb": a few hundred KB of repetitive XML that inflates to hundreds of MB).
/// The declared sizes of the central directory (APPNOTE.TXT §4.3.12) are checked first, then every entry is
/// decompressed through a fixed 64 KiB buffer and counted, because a crafted archive can declare small sizes and
/// still inflate further. Nothing is kept: the check costs one buffer of memory whatever the archive holds.
/// </summary>
public static class ArchiveGuard
{
    private const int BufferBytes = 64 * 1024;

    /// <summary>
    /// Throws <see cref="DocumentExtractionException"/> (owner-readable) when the archive in <paramref name="bytes"/> has more
    /// entries than <see cref="ExtractionLimits.MaxArchiveEntries"/> or inflates to more than
    /// <see cref="ExtractionLimits.MaxUncompressedBytes"/> bytes in total. A damaged archive is left for the
    /// extractor to report (it explains damage better); only the limits are judged here.
    /// </summary>
    /// <param name="bytes">The whole upload (already bounded by <see cref="ExtractionLimits.MaxBytes"/>).</param>
    /// <param name="fileName">Name shown in the message.</param>
    /// <param name="limits">Entry count and uncompressed size bounds.</param>
    public static void EnsureWithinLimits(byte[] bytes, string fileName, ExtractionLimits limits)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(limits);
        try
        {
            using var archive = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
            if (archive.Entries.Count > limits.MaxArchiveEntries)
            {
                throw TooManyEntries(fileName, limits);
            }

            long declared = 0;
            foreach (var entry in archive.Entries)
            {
                declared += entry.Length;
                if (declared > limits.MaxUncompressedBytes)
                {
                    throw TooLargeUncompressed(fileName, limits);
                }
            }

            var buffer = new byte[BufferBytes];
            long inflated = 0;
            foreach (var entry in archive.Entries)
            {
                using var stream = entry.Open();
                int read;
                while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    inflated += read;
                    if (inflated > limits.MaxUncompressedBytes)
                    {
                        throw TooLargeUncompressed(fileName, limits);
                    }
                }
            }
        }
        catch (InvalidDataException)
        {
            // Damaged or not a ZIP: the Open XML extractor reports it with its own message.
        }
    }

    private static DocumentExtractionException TooManyEntries(string fileName, ExtractionLimits limits) =>
        new($"'{Path.GetFileName(fileName)}' holds more than {limits.MaxArchiveEntries:N0} parts and was not read. Save the content into a simpler document, or split it.");

    private static DocumentExtractionException TooLargeUncompressed(string fileName, ExtractionLimits limits) =>
        new($"'{Path.GetFileName(fileName)}' expands to more than {BoundedReader.FormatSize(limits.MaxUncompressedBytes)} when opened and was not read. Split it into smaller documents.");
}
