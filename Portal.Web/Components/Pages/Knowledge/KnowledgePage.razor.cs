using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
using Portal.Domain.Knowledge;
using Portal.Domain.Tenancy;
using Portal.Rag.Ingestion;
using Portal.Web.Components.Pages.Business.Components;
using Portal.Web.Components.Pages.Knowledge.Components;
using Portal.Web.Components.Shared;

namespace Portal.Web.Components.Pages.Knowledge;

/// <summary>
/// The knowledge page: every source (FAQs, files, websites) with status, size, chunks and errors, refreshed every
/// two seconds while something is indexing; upload, add website, add/edit FAQ, chunk preview, re-index, delete;
/// an "Ask your knowledge base" box showing the answer and the scored chunks; and the knowledge gaps.
/// </summary>
public partial class KnowledgePage : IDisposable
{
    private const int PollMilliseconds = 2000;

    private IReadOnlyList<KnowledgeDocument>? _documents;
    private IReadOnlyList<KnowledgeGap>? _gaps;
    private string? _error;
    private Guid? _tenantId;
    private string _question = "";
    private bool _asking;
    private KnowledgeAnswer? _answer;
    private Timer? _poll;

    [Inject] private ITenantContext TenantContext { get; set; } = default!;

    [Inject] private KnowledgeService Knowledge { get; set; } = default!;

    [Inject] private IKnowledgeBase KnowledgeBase { get; set; } = default!;

    [Inject] private PageErrors Errors { get; set; } = default!;

    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <inheritdoc />
    protected override Task OnInitializedAsync()
    {
        _tenantId = TenantContext.TenantId;
        return LoadAsync();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _poll?.Dispose();
        GC.SuppressFinalize(this);
    }

    private static string Clip(string text) => text.Length <= 400 ? text : text[..400] + "…";

    private async Task LoadAsync()
    {
        _error = await Errors.TryAsync(async () =>
        {
            _documents = await Knowledge.ListDocumentsAsync(CancellationToken.None);
            _gaps = await Knowledge.ListGapsAsync(50, CancellationToken.None);
        }, "Your knowledge could not be loaded.");
        _documents ??= [];
        _gaps ??= [];

        var working = _documents!.Any(d => d.Status is KnowledgeStatus.Queued or KnowledgeStatus.Processing);
        if (working && _poll is null)
        {
            _poll = new Timer(_ => InvokeAsync(PollAsync), null, PollMilliseconds, PollMilliseconds);
        }
        else if (!working && _poll is not null)
        {
            _poll.Dispose();
            _poll = null;
        }
    }

    private async Task PollAsync()
    {
        await LoadAsync();
        StateHasChanged();
    }

    private async Task EditFaqAsync(KnowledgeDocument? existing, KnowledgeGap? gap)
    {
        var parameters = new DialogParameters<FaqDialog>
        {
            { d => d.Question, existing?.Title ?? gap?.ExampleQuestion },
            { d => d.Answer, existing?.FaqAnswer },
        };
        var title = existing is not null ? "Edit FAQ" : gap is not null ? "Add the answer" : "Add FAQ";
        var dialog = await Dialogs.ShowAsync<FaqDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        if (result is not { Canceled: false, Data: ValueTuple<string, string> data } || _tenantId is not { } tenantId)
        {
            return;
        }

        var (question, answer) = data;
        var saved = gap is not null
            ? await Knowledge.AnswerGapAsync(tenantId, gap.Id, question, answer, CancellationToken.None)
            : await Knowledge.SaveFaqAsync(tenantId, existing?.Id, question, answer, existing?.AgentPersonaId, CancellationToken.None);
        if (saved.Succeeded)
        {
            Snackbar.Add(saved.Duplicate ? "This FAQ is already in your knowledge base." : existing is null ? "FAQ added." : "FAQ saved.", saved.Duplicate ? Severity.Info : Severity.Success);
        }
        else
        {
            Snackbar.Add(saved.Error!, Severity.Error);
        }

        await LoadAsync();
    }

    private async Task PreviewAsync(KnowledgeDocument document)
    {
        var parameters = new DialogParameters<ChunkPreviewDialog> { { d => d.DocumentId, document.Id } };
        await Dialogs.ShowAsync<ChunkPreviewDialog>(document.Title, parameters, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseButton = true });
    }

    private async Task ReindexAsync(KnowledgeDocument document)
    {
        if (_tenantId is { } tenantId && await Knowledge.ReindexAsync(tenantId, document.Id, CancellationToken.None))
        {
            Snackbar.Add($"Re-indexing “{document.Title}”.", Severity.Info);
        }

        await LoadAsync();
    }

    private async Task DeleteAsync(KnowledgeDocument document)
    {
        var confirm = await Dialogs.ShowMessageBoxAsync("Delete from knowledge?", $"Delete “{document.Title}”? Your agent will stop using it.", yesText: "Delete", cancelText: "Cancel");
        if (confirm == true && _tenantId is { } tenantId)
        {
            if (await Knowledge.DeleteAsync(tenantId, document.Id, CancellationToken.None))
            {
                Snackbar.Add("Deleted.", Severity.Success);
            }

            await LoadAsync();
        }
    }

    private async Task AskOnEnterAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter")
        {
            await AskAsync();
        }
    }

    private async Task AskAsync()
    {
        if (string.IsNullOrWhiteSpace(_question) || _tenantId is not { } tenantId)
        {
            return;
        }

        _asking = true;
        var query = new KnowledgeQuery(tenantId, _question.Trim(), null, 5);
        var failure = "The knowledge base could not be searched right now. Please try again.";
        try
        {
            failure = await Errors.TryAsync(async () => _answer = await KnowledgeBase.AnswerAsync(query, CancellationToken.None), failure);
        }
        catch (HttpRequestException)
        {
            // The embedding service did not answer.
        }

        if (failure is not null)
        {
            Snackbar.Add(failure, Severity.Error);
        }

        _asking = false;
    }
}
