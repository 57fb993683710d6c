using System.Diagnostics;
using Portal.Rag.Extraction;
using Xunit.Abstractions;

namespace Portal.Rag.Tests.Extraction;

public sealed class PdfExtractionTests(ITestOutputHelper output) : ExtractionTestBase
{
    [Fact]
    public async Task Menu_ReadsHeadingsAndPricesInReadingOrder()
    {
        var doc = await ExtractFile("menu.pdf");
        output.WriteLine(Dump(doc));

        Assert.Equal("Harbor Café Menu", doc.Title);
        Assert.Equal(1, doc.PageCount);
        var breakfast = Assert.Single(doc.Sections, s => s.Text.Contains("Buttermilk pancakes", StringComparison.Ordinal));
        Assert.Equal(["Harbor Café Menu", "Breakfast"], breakfast.HeadingPath);
        Assert.Contains("$9.50", breakfast.Text, StringComparison.Ordinal);
        Assert.Equal(1, breakfast.PageNumber);
        var drinks = Assert.Single(doc.Sections, s => s.Text.Contains("Cappuccino", StringComparison.Ordinal));
        Assert.Equal("Drinks", drinks.HeadingPath[^1]);
        var allergies = Assert.Single(doc.Sections, s => s.Text.Contains("allergies", StringComparison.Ordinal));
        Assert.Equal("Allergies", allergies.HeadingPath[^1]);

        // Two columns: the left column (breakfast) is read before the right one (drinks), never interleaved line by line.
        var all = string.Join("\n", doc.Sections.Select(s => s.Text));
        Assert.True(all.IndexOf("Farmhouse omelette", StringComparison.Ordinal) < all.IndexOf("Espresso", StringComparison.Ordinal));
        Assert.Contains("Buttermilk pancakes with maple syrup and butter, $9.50.", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HundredPages_ReadsEveryPageWithItsNumber()
    {
        // Throughput figure for docs/benchmarks.md: first run (JIT included) and a second, warm run.
        var stopwatch = Stopwatch.StartNew();
        var doc = await ExtractFile("handbook-100-pages.pdf");
        var cold = stopwatch.Elapsed;
        stopwatch.Restart();
        await ExtractFile("handbook-100-pages.pdf");
        var warm = stopwatch.Elapsed;
        output.WriteLine($"PDF extraction, 100 pages: cold {cold.TotalMilliseconds:0} ms = {100 / cold.TotalSeconds:0.0} pages/s; warm {warm.TotalMilliseconds:0} ms = {100 / warm.TotalSeconds:0.0} pages/s");

        Assert.Equal(100, doc.PageCount);
        Assert.Equal(Enumerable.Range(1, 100), doc.Sections.Select(s => s.PageNumber!.Value).Distinct().Order());
        var chapter42 = doc.Sections.First(s => s.HeadingPath.Contains("Chapter 42: Service topic 42"));
        Assert.Equal(42, chapter42.PageNumber);
        Assert.Contains("Paragraph 1 of chapter 42.", chapter42.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PageLimit_RefusesLongerPdf()
    {
        var error = await FailFile("handbook-100-pages.pdf", new ExtractionLimits(MaxPages: 50));
        Assert.Equal("'handbook-100-pages.pdf' has 100 pages; the limit is 50. Split it into smaller files.", error.Message);
    }

    [Fact]
    public async Task Encrypted_SaysPasswordProtected()
    {
        var error = await FailFile("encrypted.pdf");
        Assert.StartsWith("This PDF is password-protected", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_SaysDamaged()
    {
        var error = await FailFile("corrupt-truncated.pdf");
        Assert.Contains("damaged or incomplete", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImageOnly_SaysNoText()
    {
        var error = await FailFile("scanned-no-text.pdf");
        Assert.Contains("no text we can read", error.Message, StringComparison.Ordinal);
    }
}
