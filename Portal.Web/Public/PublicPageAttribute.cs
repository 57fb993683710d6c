namespace Portal.Web.Public;

/// <summary>
/// Marks a page of the public site (landing, pricing, legal, course, certificates, affiliates): rendered statically on
/// the server with the light public stylesheet only, without the MudBlazor bundle or the Blazor script, so a visitor
/// reads it without an interactive circuit and the landing page stays within its size budget.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PublicPageAttribute : Attribute;
