using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Portal.Domain.Conversations;
using Portal.Domain.Data;
using Portal.Domain.Entities;
using Portal.Domain.Knowledge;

namespace Portal.Web.Components.Pages.Business.Components;

/// <summary>The "FAQs" tab: FAQ knowledge documents (add/edit/delete) and other documents (read-only; managed on the knowledge page).</summary>
public partial class FaqsTab
{
    private List<KnowledgeDocument>? _faqs;
    private List<KnowledgeDocument>? _documents;
    private string? _error;
    private bool _busy;

    [Inject] private IDbContextFactory<PortalDbContext> DbFactory { get; set; } = default!;

    [Inject] private BusinessProfileCache ProfileCache { get; set; } = default!;

    [Inject] private IKnowledgeBase Knowledge { get; set; } = default!;

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
        _error = null;
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            _faqs = await db.KnowledgeDocuments.AsNoTracking().Include(k => k.Chunks).Where(k => k.Kind == KnowledgeKind.Faq).OrderBy(k => k.CreatedAt).ToListAsync();
            _documents = await db.KnowledgeDocuments.AsNoTracking().Where(k => k.Kind != KnowledgeKind.Faq).OrderBy(k => k.CreatedAt).ToListAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or Npgsql.NpgsqlException or TimeoutException)
        {
            _faqs = _documents = [];
            _error = "FAQs could not be loaded.";
        }
    }

    private async Task EditAsync(KnowledgeDocument? existing)
    {
        var parameters = new DialogParameters<FaqDialog> { { d => d.Question, existing?.Title }, { d => d.Answer, existing?.FaqAnswer } };
        var dialog = await Dialogs.ShowAsync<FaqDialog>(existing is null ? "Add FAQ" : "Edit FAQ", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        if (result is not { Canceled: false, Data: ValueTuple<string, string> data })
        {
            return;
        }

        var (question, answer) = data;
        await SaveAsync(async db =>
        {
            var item = existing is null ? null : await db.KnowledgeDocuments.Include(k => k.Chunks).FirstOrDefaultAsync(k => k.Id == existing.Id);
            if (item is null)
            {
                db.KnowledgeDocuments.Add(KnowledgeDocument.NewFaq(Guid.Empty, question, answer)); // the tenant is filled in on save
            }
            else
            {
                item.SetFaq(question, answer);
            }
        }, existing is null ? "FAQ added." : "FAQ saved.");
    }

    private async Task DeleteAsync(KnowledgeDocument faq)
    {
        var confirm = await Dialogs.ShowMessageBoxAsync("Delete FAQ?", $"Delete “{faq.Title}”? Your agent will stop using this answer.", yesText: "Delete", cancelText: "Cancel");
        if (confirm == true)
        {
            await SaveAsync(async db =>
            {
                var item = await db.KnowledgeDocuments.FirstOrDefaultAsync(k => k.Id == faq.Id);
                if (item is not null)
                {
                    db.KnowledgeDocuments.Remove(item);
                }
            }, "FAQ deleted.");
        }
    }

    private async Task SaveAsync(Func<PortalDbContext, Task> change, string success)
    {
        _busy = true;
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            await change(db);
            var tenantId = await BusinessFacts.BumpAsync(db);
            await db.SaveChangesAsync();
            ProfileCache.Invalidate(tenantId);
            Knowledge.Invalidate(tenantId);
            Snackbar.Add(success, Severity.Success);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or Npgsql.NpgsqlException)
        {
            Snackbar.Add("The change could not be saved. Please try again.", Severity.Error);
        }
        finally
        {
            _busy = false;
        }

        await LoadAsync();
    }
}
