using Portal.Billing;
using Portal.Domain;
using Portal.Jobs;
using Portal.Llm;
using Portal.Rag;
using Portal.Voice;
using Portal.Web;
using Portal.Web.Agencies;
using Portal.Web.Api;
using Portal.Web.Components;
using Portal.Web.Components.Pages.Admin;
using Portal.Web.Endpoints;
using Portal.Web.Hardening;
using Portal.Web.Mcp;
using Portal.Web.Mcp.OAuth;
using Portal.Web.Observability;
using Portal.Web.Public;
using Portal.Web.Tenancy;

var builder = WebApplication.CreateBuilder(args);

builder.AddPortalDomain();
builder.AddPortalRag();
builder.AddPortalLlm();
builder.AddPortalVoice();
builder.AddPortalJobs();
builder.AddPortalBilling();
builder.AddPortalWeb();
builder.AddPortalHardening();
builder.Services.AddPortalMcp();
builder.AddPortalOAuth();
builder.AddPortalTelemetry();
builder.AddPortalApi();

var app = builder.Build();

await app.InitializeDatabaseAsync();

app.UsePortalWebhookTiming();
app.UsePortalHardening();

// API and webhook (Twilio) callers get plain status codes; people get the not-found page (for page loads: a refused
// form post keeps its plain status, since re-running it against the not-found page would read an unvalidated form).
app.UseWhen(
    context => (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)) && !context.Request.Path.StartsWithSegments("/api") && !context.Request.Path.StartsWithSegments("/health") && !context.Request.Path.StartsWithSegments("/twilio") && !context.Request.Path.StartsWithSegments("/admin/jobs") && !context.Request.Path.StartsWithSegments("/connect/authorize") && !context.Request.Path.StartsWithSegments("/.well-known"),
    branch => branch.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
// Routing after the status-code pages, so a re-executed 404 is routed to the not-found page (not an empty body).
app.UsePublicSite();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseTenantResolution();
app.UseMcpTokenAuthentication();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapAccountEndpoints();
app.MapConversationEndpoints();
app.MapBookingEndpoints();
app.MapVoiceEndpoints();
app.MapCallRecordingEndpoints();
app.MapTwilioWebhookEndpoints();
app.UseWebSockets(); app.MapVoiceSocketEndpoints();
app.MapWidgetEndpoints();
app.MapBrowserCallEndpoints();
app.MapPortalJobsDashboard();
app.MapViewAsTenantEndpoints();
app.MapBillingEndpoints();
app.MapAnalyticsEndpoints();
app.MapAgencyEndpoints();
app.MapPublicSiteEndpoints();
app.MapDemoCallEndpoints();
app.MapPortalMcp();
app.MapOAuthEndpoints();
app.MapHealthChecks("/health");
app.MapPortalApi();

app.PrintStartupBanner();
await app.RunAsync();

/// <summary>Entry point; public for <c>WebApplicationFactory</c>.</summary>
public partial class Program;
