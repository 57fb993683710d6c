using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Data.Entities;
using Portal.Domain.Notifications;
using Portal.Web.Components.Shared;

namespace Portal.Web.Components.Pages.Settings.Components;

/// <summary>Settings → Notifications: per member (and the business phone), which events arrive by email and SMS.</summary>
public partial class NotificationsTab
{
    private static readonly NotificationEvent[] Events = Enum.GetValues<NotificationEvent>();
    private NotificationMatrix? _matrix;
    private string? _error;

    [Inject] private PageErrors Errors { get; set; } = default!;

    [Inject] private NotificationSettings Settings { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => LoadAsync();

    private static string EventName(NotificationEvent e) => e switch
    {
        NotificationEvent.MessageTaken => "Message taken",
        NotificationEvent.BookingCreated => "Booking made",
        NotificationEvent.BookingCancelled => "Booking cancelled",
        NotificationEvent.BillingLimit => "Billing limit",
        NotificationEvent.KnowledgeGap => "Knowledge gap",
        NotificationEvent.HandoverRequested => "Customer asks for a person",
        _ => e.ToString(),
    };

    private async Task LoadAsync()
    {
        _error = await Errors.TryAsync(async () =>
        {
            _matrix = await Settings.GetAsync(CancellationToken.None);
        }, "Notification settings could not be loaded.");
    }

    private async Task SetAsync(NotificationRecipient recipient, NotificationEvent e, NotificationChoice choice)
    {
        try
        {
            await Settings.SetAsync(recipient.UserId, e, choice, CancellationToken.None);
            Snackbar.Add("Saved.", Severity.Success);
        }
        catch (ArgumentException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }

        await LoadAsync();
    }
}
