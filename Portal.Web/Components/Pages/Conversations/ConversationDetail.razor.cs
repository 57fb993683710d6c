using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Data;
using Portal.Domain.Entities;
using Portal.Web.Components.Pages.Dashboard.Components;

namespace Portal.Web.Components.Pages.Conversations;

/// <summary>One conversation: header facts, the transcript as chat bubbles and the bookings it made.</summary>
public partial class ConversationDetail
{
    private sealed record BookingLink(Guid Id, DateTimeOffset StartUtc, string ServiceName, BookingStatus Status);

    private bool _loading = true;
    private string? _error;
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;
    private Conversation? _conversation;
    private List<BookingLink> _bookings = [];

    /// <summary>Conversation id from the route.</summary>
    [Parameter] public Guid Id { get; set; }

    [Inject] private IDbContextFactory<PortalDbContext> DbFactory { get; set; } = default!;

    /// <inheritdoc />
    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _loading = true;
        _error = null;
        try
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            _zone = await TenantTime.ZoneAsync(db);
            // The tenant query filter makes another tenant's id indistinguishable from an unknown one: both are null.
            _conversation = await db.Conversations.AsNoTracking()
                .Include(c => c.Turns.OrderBy(t => t.Sequence))
                .FirstOrDefaultAsync(c => c.Id == Id);
            _bookings = _conversation is null
                ? []
                : await db.Bookings.AsNoTracking().Where(b => b.ConversationId == Id).OrderBy(b => b.StartUtc)
                    .Select(b => new BookingLink(b.Id, b.StartUtc, b.Service!.Name, b.Status)).ToListAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or Npgsql.NpgsqlException or TimeoutException)
        {
            _error = "The conversation could not be loaded. Please try again.";
        }
        finally
        {
            _loading = false;
        }
    }
}
