namespace Portal.Data.Entities;

/// <summary>The wholesale tiers an agency pays Portal per client business per month.</summary>
public enum ResellerTier
{
    /// <summary>$99, 500 minutes, $0.12 a minute beyond.</summary>
    Starter,

    /// <summary>$199, 1,500 minutes, $0.10 a minute beyond.</summary>
    Growth,

    /// <summary>$299, 5,000 minutes, $0.08 a minute beyond.</summary>
    Enterprise,
}
