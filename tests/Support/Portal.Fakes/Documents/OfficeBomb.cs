using System.IO.Compression;
using System.Text;

namespace Portal.Fakes.Documents;

/// <summary>Builds small Word packages that inflate to a lot of XML (expansion bombs) or hold many parts.</summary>
public static class OfficeBomb
{
    private const string ContentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>
        """;

    private const string Rels = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>
        """;

    /// <summary>A valid .docx whose document part is <paramref name="paragraphs"/> copies of one paragraph of <paramref name="text"/>.</summary>
    public static byte[] Docx(int paragraphs, string text = "Our opening hours are nine to five on weekdays.", int extraParts = 0)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Write(zip, "[Content_Types].xml", ContentTypes);
            Write(zip, "_rels/.rels", Rels);
            var entry = zip.CreateEntry("word/document.xml", CompressionLevel.Optimal);
            using (var stream = new StreamWriter(entry.Open(), new UTF8Encoding(false), 1 << 16))
            {
                stream.Write("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>");
                var paragraph = $"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>";
                for (var i = 0; i < paragraphs; i++)
                {
                    stream.Write(paragraph);
                }

                stream.Write("</w:body></w:document>");
            }

            for (var i = 0; i < extraParts; i++)
            {
                Write(zip, $"customXml/item{i}.xml", "<a/>");
            }
        }

        return buffer.ToArray();
    }

    private static void Write(ZipArchive zip, string name, string content)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.Fastest).Open(), new UTF8Encoding(false));
        writer.Write(content);
    }
}
