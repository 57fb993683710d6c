using System.Globalization;
using MudBlazor;
using Portal.Data.Entities;

namespace Portal.Web.Components.Pages.Knowledge.Components;

/// <summary>How knowledge documents are shown: sizes, status words and colours.</summary>
public static class KnowledgeFormat
{
    /// <summary>"512 B", "3.4 KB", "1.2 MB".</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.# 'KB'", CultureInfo.InvariantCulture),
        _ => (bytes / (1024.0 * 1024)).ToString("0.# 'MB'", CultureInfo.InvariantCulture),
    };

    /// <summary>Status word, with the percentage while processing.</summary>
    public static string Status(KnowledgeDocument d) => d.Status switch
    {
        KnowledgeStatus.Processing => $"Processing {d.Progress} %",
        KnowledgeStatus.Queued => "Queued",
        KnowledgeStatus.Ready => "Ready",
        _ => "Failed",
    };

    /// <summary>Chip colour of a status.</summary>
    public static Color StatusColor(KnowledgeStatus status) => status switch
    {
        KnowledgeStatus.Ready => Color.Success,
        KnowledgeStatus.Failed => Color.Error,
        KnowledgeStatus.Processing => Color.Info,
        _ => Color.Default,
    };

    /// <summary>Icon of a source kind.</summary>
    public static string KindIcon(KnowledgeKind kind) => kind switch
    {
        KnowledgeKind.Faq => Icons.Material.Filled.QuestionAnswer,
        KnowledgeKind.Url => Icons.Material.Filled.Language,
        _ => Icons.Material.Filled.Description,
    };
}
