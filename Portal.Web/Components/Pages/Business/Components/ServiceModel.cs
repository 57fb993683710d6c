namespace Portal.Web.Components.Pages.Business.Components;

/// <summary>Editable copy of a <see cref="Portal.Data.Entities.Service"/>; the price is in dollars here and cents in the entity.</summary>
public sealed class ServiceModel
{
    /// <summary>Id, or null for a new service.</summary>
    public Guid? Id { get; set; }

    /// <summary>Name.</summary>
    public string? Name { get; set; }

    /// <summary>Minutes, 5..600.</summary>
    public int DurationMinutes { get; set; } = 30;

    /// <summary>Dollars with cents, or null for "no quoted price".</summary>
    public decimal? Price { get; set; }

    /// <summary>Comma-separated keywords.</summary>
    public string? Keywords { get; set; }

    /// <summary>Short description.</summary>
    public string? Description { get; set; }

    /// <summary>Offered and bookable.</summary>
    public bool IsActive { get; set; } = true;

    /// <summary>Copies an entity into a model.</summary>
    public static ServiceModel From(Portal.Data.Entities.Service s) => new()
    {
        Id = s.Id, Name = s.Name, DurationMinutes = s.DurationMinutes, Price = s.PriceCents / 100m,
        Keywords = s.Keywords, Description = s.Description, IsActive = s.IsActive,
    };

    /// <summary>The service's input for <see cref="Portal.Domain.BusinessSettings.ServiceCatalog"/> (price rounded to whole cents).</summary>
    public Portal.Domain.BusinessSettings.ServiceInput ToInput() =>
        new(Id, Name ?? "", DurationMinutes, Price is { } p ? (long)decimal.Round(p * 100m, MidpointRounding.AwayFromZero) : null, Keywords, Description, IsActive);
}
