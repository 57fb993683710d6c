using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;

namespace Portal.Web.Components.Shared;

/// <summary>
/// The one place pages turn a failed database read or write into words: instead of each page catching
/// <c>InvalidOperationException or NpgsqlException or TimeoutException</c> itself, a page runs its work through
/// <see cref="TryAsync"/>, shows the returned sentence (with <see cref="LoadError"/> and a retry), and the failure is
/// logged once with the page and operation. Programming errors (anything else) still surface as the circuit's error UI.
/// </summary>
public sealed class PageErrors(ILogger<PageErrors> logger)
{
    /// <summary>
    /// True for failures a retry can cure or that mean "the data is not there now": the database unreachable or slow
    /// (<see cref="Npgsql.NpgsqlException"/>, <see cref="TimeoutException"/>), a write refused
    /// (<see cref="DbUpdateException"/>), a pool exhausted or a row gone between read and write
    /// (<see cref="InvalidOperationException"/>, which EF Core also throws for <c>First()</c> on no row).
    /// </summary>
    public static bool IsDataFailure(Exception exception) =>
        exception is InvalidOperationException or Npgsql.NpgsqlException or TimeoutException or DbUpdateException;

    /// <summary>
    /// Runs <paramref name="work"/>; returns null when it succeeded, or <paramref name="failure"/> when it failed with a
    /// data failure (<see cref="IsDataFailure"/>), which is logged as a warning naming <paramref name="operation"/>.
    /// </summary>
    /// <param name="work">The page's reads or writes (through its services).</param>
    /// <param name="failure">What the owner reads, e.g. "Bookings could not be loaded. Please try again."</param>
    /// <param name="operation">The calling member (filled in by the compiler).</param>
    /// <param name="page">The calling file (filled in by the compiler), logged to tell pages apart.</param>
    public async Task<string?> TryAsync(Func<Task> work, string failure, [CallerMemberName] string operation = "", [CallerFilePath] string page = "")
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            await work();
            return null;
        }
        catch (Exception ex) when (IsDataFailure(ex))
        {
            logger.LogWarning(ex, "{Page}.{Operation} failed; the owner was told: {Failure}", Path.GetFileNameWithoutExtension(page), operation, failure);
            return failure;
        }
    }
}
