namespace Portal.Domain.Agencies;

/// <summary>
/// Keeps an agency's wholesale subscription in step with its clients (Portal.Billing's <c>AgencySubscriptions</c> sets
/// each reseller tier's quantity to the agency's active clients on it). Called after a client is created, suspended,
/// reactivated or moved to another tier; it never throws into the caller (a Stripe failure is logged and the billing job
/// catches up within minutes). Without Portal.Billing (or without Stripe) it does nothing.
/// </summary>
public interface IAgencyBillingSync
{
    /// <summary>Brings the agency's subscription quantities to its current clients.</summary>
    Task ClientsChangedAsync(Guid agencyId, CancellationToken cancellationToken);
}

/// <summary>The <see cref="IAgencyBillingSync"/> of a host without billing: nothing to keep in step.</summary>
public sealed class NoAgencyBillingSync : IAgencyBillingSync
{
    /// <inheritdoc />
    public Task ClientsChangedAsync(Guid agencyId, CancellationToken cancellationToken) => Task.CompletedTask;
}
