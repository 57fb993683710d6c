namespace Portal.Data.Entities;

/// <summary>Why a referral looks like the affiliate referring themselves.</summary>
public enum SelfReferral
{
    /// <summary>No sign of self-referral.</summary>
    None,

    /// <summary>The referred user is the affiliate's own user: never attributed.</summary>
    SameUser,

    /// <summary>The payment method's fingerprint matches one the affiliate used: flagged for the admin.</summary>
    SamePaymentFingerprint,

    /// <summary>The referred email's domain is the affiliate's own (not a public mail provider): flagged for the admin.</summary>
    SameEmailDomain,
}
