using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Tenancy;
using Portal.Rag.Ingestion;
using Portal.Web.Components.Shared;

namespace Portal.Web.Components.Pages.Business.Components;

/// <summary>The "FAQs" tab: FAQ knowledge documents (add/edit/delete) and other documents (read-only; managed on the knowledge page).</summary>
public partial class FaqsTab
{
    private List<KnowledgeDocument>? _faqs;
    private List<KnowledgeDocument>? _documents;
    private string? _error;
    private bool _busy;

    [Inject] private KnowledgeService Knowledge { get; set; } = default!;

    [Inject] private ITenantContext TenantContext { get; set; } = default!;

    [Inject] private PageErrors Errors { get; set; } = default!;

    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => LoadAsync();

    private static string FormatSize(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.# 'KB'", CultureInfo.InvariantCulture),
        _ => (bytes / (1024.0 * 1024)).ToString("0.# 'MB'", CultureInfo.InvariantCulture),
    };

    private static Color StatusColor(KnowledgeStatus status) => status switch
    {
        KnowledgeStatus.Ready => Color.Success,
        KnowledgeStatus.Failed => Color.Error,
        _ => Color.Info,
    };

    private async Task LoadAsync()
    {
        IReadOnlyList<KnowledgeDocument> all = [];
        _error = await Errors.TryAsync(async () => all = await Knowledge.ListDocumentsAsync(CancellationToken.None), "FAQs could not be loaded.");
        _faqs = all.Where(k => k.Kind == KnowledgeKind.Faq).OrderBy(k => k.CreatedAt).ToList();
        _documents = all.Where(k => k.Kind != KnowledgeKind.Faq).OrderBy(k => k.CreatedAt).ToList();
    }

    private async Task EditAsync(KnowledgeDocument? existing)
    {
        var parameters = new DialogParameters<FaqDialog> { { d => d.Question, existing?.Title }, { d => d.Answer, existing?.FaqAnswer } };
        var dialog = await Dialogs.ShowAsync<FaqDialog>(existing is null ? "Add FAQ" : "Edit FAQ", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        if (result is not { Canceled: false, Data: ValueTuple<string, string> data } || TenantContext.TenantId is not { } tenantId)
        {
            return;
        }

        var (question, answer) = data;
        await ChangeAsync(async () =>
        {
            var saved = await Knowledge.SaveFaqAsync(tenantId, existing?.Id, question, answer, existing?.AgentPersonaId, CancellationToken.None);
            return saved.Succeeded
                ? (saved.Duplicate ? "This FAQ is already in your knowledge base." : existing is null ? "FAQ added." : "FAQ saved.", saved.Duplicate ? Severity.Info : Severity.Success)
                : (saved.Error!, Severity.Error);
        });
    }

    private async Task DeleteAsync(KnowledgeDocument faq)
    {
        var confirm = await Dialogs.ShowMessageBoxAsync("Delete FAQ?", $"Delete “{faq.Title}”? Your agent will stop using this answer.", yesText: "Delete", cancelText: "Cancel");
        if (confirm == true && TenantContext.TenantId is { } tenantId)
        {
            await ChangeAsync(async () => await Knowledge.DeleteAsync(tenantId, faq.Id, CancellationToken.None)
                ? ("FAQ deleted.", Severity.Success)
                : ("That FAQ no longer exists.", Severity.Info));
        }
    }

    private async Task ChangeAsync(Func<Task<(string Message, Severity Severity)>> change)
    {
        _busy = true;
        (string Message, Severity Severity) outcome = ("", Severity.Normal);
        var failure = await Errors.TryAsync(async () => outcome = await change(), "The change could not be saved. Please try again.");
        Snackbar.Add(failure ?? outcome.Message, failure is null ? outcome.Severity : Severity.Error);
        _busy = false;
        await LoadAsync();
    }
}
