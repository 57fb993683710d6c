using Portal.Rag.Extraction;
using Xunit.Abstractions;

namespace Portal.Rag.Tests.Extraction;

public sealed class OfficeExtractionTests(ITestOutputHelper output) : ExtractionTestBase
{
    [Fact]
    public async Task Docx_HeadingsParagraphsTablesAndQuestionAnswers()
    {
        var doc = await ExtractFile("patient-guide.docx");
        output.WriteLine(Dump(doc));

        Assert.Equal("Bright Smile Dental Patient Guide", doc.Title);
        var firstVisit = Assert.Single(doc.Sections, s => s.Text.Contains("photo ID", StringComparison.Ordinal));
        Assert.Equal(["Bright Smile Dental Patient Guide", "Your first visit"], firstVisit.HeadingPath);
        var fees = Assert.Single(doc.Sections, s => s.HeadingPath.Count == 3);
        Assert.Equal(["Bright Smile Dental Patient Guide", "Payment", "Fees"], fees.HeadingPath);
        Assert.Equal("Treatment | Price | Duration\nCleaning | $120 | 45 minutes\nWhitening | $350 | 90 minutes", fees.Text);
        var parking = Assert.Single(doc.Sections, s => s.Question == "Is there parking?");
        Assert.Equal("Yes, there is free parking behind the building.", parking.Text);
        Assert.Equal("Frequently asked questions", parking.HeadingPath[^1]);
        Assert.Equal(3, doc.Sections.Count(s => s.Question is not null));
    }

    [Fact]
    public async Task Docx_Empty_SaysEmpty()
    {
        var error = await FailFile("empty.docx");
        Assert.Equal("'empty.docx' is empty: it has no text to learn from.", error.Message);
    }

    [Fact]
    public async Task Docx_CorruptZip_SaysDamaged()
    {
        var bytes = await File.ReadAllBytesAsync(TestFiles.Path("patient-guide.docx"));
        var error = await Assert.ThrowsAsync<DocumentExtractionException>(() =>
            new DocumentExtractors().ExtractAsync(new MemoryStream(bytes[..(bytes.Length / 3)]), "guide.docx", Limits, CancellationToken.None));
        Assert.Contains("is damaged or is not a Word document", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Xlsx_QuestionAnswerColumnsByHeaderName_AndOtherSheetsAsRows()
    {
        var doc = await ExtractFile("salon-faq.xlsx");
        output.WriteLine(Dump(doc));

        var qa = doc.Sections.Where(s => s.Question is not null).ToList();
        Assert.Equal(4, qa.Count);
        var walkIns = qa[0];
        Assert.Equal("Do you take walk-ins?", walkIns.Question);
        Assert.Equal("Yes, walk-ins are welcome Tuesday to Friday before 3 pm.", walkIns.Text);
        Assert.Equal(["FAQ"], walkIns.HeadingPath);
        var prices = Assert.Single(doc.Sections, s => s.HeadingPath.SequenceEqual(["Price list"]));
        Assert.Equal("Service: Blow-dry | Price: $45 | Time: 40 min\n\nService: Root colour | Price: $95 | Time: 75 min", prices.Text);
    }

    [Fact]
    public async Task Xlsx_RowLimit_Refuses()
    {
        var error = await FailFile("salon-faq.xlsx", new ExtractionLimits(MaxRows: 3));
        Assert.Equal("'salon-faq.xlsx' has more than 3 rows. Split it into smaller files.", error.Message);
    }

    [Fact]
    public async Task Csv_QuestionAnswerColumns_QuotedCommasAndQuotes()
    {
        var doc = await ExtractFile("salon-faq.csv");
        output.WriteLine(Dump(doc));

        Assert.Equal(4, doc.Sections.Count);
        Assert.All(doc.Sections, s => Assert.NotNull(s.Question));
        var balayage = doc.Sections[2];
        Assert.Equal("Do you do balayage, and how long does it take?", balayage.Question);
        Assert.Equal("Yes. Balayage starts at $180 and takes about three hours, \"consultation\" first.", balayage.Text);
    }

    [Fact]
    public async Task Csv_OtherTable_SemicolonSeparated_RowsAsText()
    {
        var doc = await ExtractFile("price-list.csv");
        var section = Assert.Single(doc.Sections);
        Assert.Null(section.Question);
        Assert.StartsWith("Service: Drain cleaning | Price: $149 | Duration: 1 hour", section.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_RowLimit_Refuses()
    {
        var error = await FailFile("salon-faq.csv", new ExtractionLimits(MaxRows: 2));
        Assert.Contains("has more than 2 rows", error.Message, StringComparison.Ordinal);
    }
}
