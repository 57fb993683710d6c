using Portal.Domain;
using Portal.Jobs;
using Portal.Llm;
using Portal.Rag;
using Portal.Voice;
using Portal.Web;
using Portal.Web.Components;
using Portal.Web.Components.Pages.Admin;
using Portal.Web.Endpoints;
using Portal.Web.Hardening;
using Portal.Web.Observability;
using Portal.Web.Tenancy;

var builder = WebApplication.CreateBuilder(args);

builder.AddPortalDomain();
builder.AddPortalRag();
builder.AddPortalLlm();
builder.AddPortalVoice();
builder.AddPortalJobs();
builder.AddPortalWeb();
builder.AddPortalHardening();
builder.AddPortalTelemetry();

var app = builder.Build();

await app.InitializeDatabaseAsync();

app.UsePortalWebhookTiming();
app.UsePortalHardening();

// API and webhook (Twilio) callers get plain status codes; people get the not-found page.
app.UseWhen(
    context => !context.Request.Path.StartsWithSegments("/api") && !context.Request.Path.StartsWithSegments("/health") && !context.Request.Path.StartsWithSegments("/twilio") && !context.Request.Path.StartsWithSegments("/admin/jobs"),
    branch => branch.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
app.UseAuthentication();
app.UseAuthorization();
app.UseTenantResolution();
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
app.MapBrowserCallEndpoints();
app.MapPortalJobsDashboard();
app.MapViewAsTenantEndpoints();
app.MapHealthChecks("/health");

app.PrintStartupBanner();
await app.RunAsync();

/// <summary>Entry point; public for <c>WebApplicationFactory</c>.</summary>
public partial class Program;
