using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Portal.Data.Text;

namespace Portal.Data;

/// <summary>
/// The last line behind the edge checks of <see cref="InputText"/>: before a save, every added or modified text property
/// loses the control characters <see cref="InputText.IsForbiddenControl"/> names (PostgreSQL refuses U+0000 in text with
/// SQLSTATE 22021, which would otherwise fail the whole save with a generic error), and every property holding a name or
/// title (its name ends in "Name" or "Title") loses bidirectional override characters. Forms that check with
/// <see cref="InputText"/> first give the owner a clear message; anything that slips past is cleaned, never a 500.
/// </summary>
public sealed class TextInputInterceptor : SaveChangesInterceptor
{
    /// <summary>The stateless instance registered with the context.</summary>
    public static readonly TextInputInterceptor Instance = new();

    /// <inheritdoc />
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Clean(eventData?.Context);
        return result;
    }

    /// <inheritdoc />
    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Clean(eventData?.Context);
        return ValueTask.FromResult(result);
    }

    private static void Clean(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }

            foreach (var property in entry.Properties)
            {
                if (property.CurrentValue is not string value || (entry.State == EntityState.Modified && !property.IsModified))
                {
                    continue;
                }

                var name = property.Metadata.Name;
                var cleaned = InputText.HasForbiddenControl(value) ? string.Concat(value.Where(c => !InputText.IsForbiddenControl(c))) : value;
                if (name.EndsWith("Name", StringComparison.Ordinal) || name.EndsWith("Title", StringComparison.Ordinal))
                {
                    cleaned = InputText.StripBidiControls(cleaned)!;
                }

                if (!ReferenceEquals(cleaned, value))
                {
                    property.CurrentValue = cleaned;
                }
            }
        }
    }
}
