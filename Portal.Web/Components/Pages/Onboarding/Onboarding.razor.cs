using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Portal.Domain.Conversations;
using Portal.Domain.Data;
using Portal.Domain.Entities;
using Portal.Domain.Knowledge;
using Portal.Domain.Numbers;
using Portal.Domain.Onboarding;
using Portal.Domain.Tenancy;

namespace Portal.Web.Components.Pages.Onboarding;

/// <summary>
/// The four-step onboarding wizard: business, number, agent, knowledge. Every step
/// saves before moving on and the tenant remembers the step reached, so the wizard resumes where
/// the owner left it.
/// </summary>
public sealed partial class Onboarding
{
    /// <summary>Time zones offered in step 1 (IANA ids).</summary>
    public static readonly IReadOnlyList<string> TimeZones =
        ["America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "America/Toronto", "America/Vancouver", "Europe/London", "Europe/Dublin", "Australia/Sydney"];

    private readonly BusinessStep.FormModel _businessModel = new();
    private VerticalTemplate? _template;
    private Tenant _business = new();
    private AgentPersona _agent = new();
    private PhoneNumber? _heldNumber;
    private int _step;
    private bool _loading = true;
    private bool _busy;
    private bool _live;
    private string? _error;

    [Inject] private IDbContextFactory<PortalDbContext> DbFactory { get; set; } = default!;
    [Inject] private ITenantContext TenantContext { get; set; } = default!;
    [Inject] private TenantProvisioner Provisioner { get; set; } = default!;
    [Inject] private NumberPool Pool { get; set; } = default!;
    [Inject] private BusinessProfileCache Profiles { get; set; } = default!;
    [Inject] private IKnowledgeBase Knowledge { get; set; } = default!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private Portal.Voice.TextToSpeech.VoiceCatalog Voices { get; set; } = default!;

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        await LoadAsync();
        _loading = false;
    }

    private async Task LoadAsync()
    {
        if (TenantContext.TenantId is null)
        {
            _step = 0;
            return;
        }

        await using var db = await DbFactory.CreateDbContextAsync();
        _business = await db.Tenants.AsNoTracking().FirstAsync();
        _agent = await db.AgentPersonas.AsNoTracking().OrderBy(a => a.CreatedAt).FirstAsync();
        _businessModel.Name = _business.Name;
        _businessModel.Industry = _business.Industry;
        _businessModel.TimeZoneId = _business.TimeZoneId;
        _businessModel.Phone = _business.Phone is null ? "" : E164.Display(_business.Phone);
        _businessModel.Address = _business.Address;
        _businessModel.Locked = true;
        _heldNumber = await Pool.HeldByAsync(_business.Id, CancellationToken.None);
        _step = Math.Clamp(_business.OnboardingStep, 0, 3);
        _live = _business.OnboardingStep >= 4;
    }

    private async Task NextAsync()
    {
        _error = null;
        _busy = true;
        try
        {
            var ok = _step switch
            {
                0 => await SaveBusinessAsync(),
                1 => await CheckNumberAsync(),
                2 => await SaveAgentAsync(),
                _ => true,
            };
            if (ok)
            {
                _step++;
                await SaveStepAsync(_step);
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private Task BackAsync()
    {
        _error = null;
        _step = Math.Max(0, _step - 1);
        return Task.CompletedTask;
    }

    private async Task<bool> SaveBusinessAsync()
    {
        if (_businessModel.Validate() is { } problem)
        {
            _error = problem;
            return false;
        }

        var phone = string.IsNullOrWhiteSpace(_businessModel.Phone) ? null : E164.TryNormalize(_businessModel.Phone);
        if (TenantContext.TenantId is null)
        {
            var state = await Authentication.GetAuthenticationStateAsync();
            var userId = Guid.Parse(state.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)!.Value);
            var details = new BusinessDetails(_businessModel.Name, _businessModel.Industry, _businessModel.TimeZoneId, phone, _businessModel.Address);
            var tenantId = await Provisioner.CreateAsync(details, userId, _template, CancellationToken.None);
            TenantContext.SetTenant(tenantId);
        }
        else
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            var tenant = await db.Tenants.FirstAsync();
            tenant.Name = _businessModel.Name.Trim();
            tenant.TimeZoneId = _businessModel.TimeZoneId;
            tenant.Phone = phone;
            tenant.Address = _businessModel.Address.Trim();
            tenant.FactsVersion++;
            await db.SaveChangesAsync();
            Profiles.Invalidate(tenant.Id);
        }

        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            _business = await db.Tenants.AsNoTracking().FirstAsync();
            _agent = await db.AgentPersonas.AsNoTracking().OrderBy(a => a.CreatedAt).FirstAsync();
        }

        _businessModel.Locked = true;
        return true;
    }

    private async Task OnNumberPickedAsync(PhoneNumber number)
    {
        _error = null;
        var result = await Pool.ReserveAsync(_business.Id, number.Id, CancellationToken.None);
        if (result is ReserveResult.Reserved or ReserveResult.AlreadyYours)
        {
            _heldNumber = await Pool.HeldByAsync(_business.Id, CancellationToken.None);
            Snackbar.Add($"{E164.Display(number.E164)} is held for you for {NumberPool.ReservationLifetime.TotalMinutes:0} minutes.", Severity.Success);
        }
        else
        {
            _error = "Someone else just picked that number. Please choose another.";
        }
    }

    private async Task<bool> CheckNumberAsync()
    {
        _heldNumber = await Pool.HeldByAsync(_business.Id, CancellationToken.None);
        if (_heldNumber is null)
        {
            _error = "Pick a phone number first (or your reservation expired: pick it again).";
            return false;
        }

        return true;
    }

    private async Task<bool> SaveAgentAsync()
    {
        if (string.IsNullOrWhiteSpace(_agent.Name) || string.IsNullOrWhiteSpace(_agent.Greeting))
        {
            _error = "Give your agent a name and a greeting.";
            return false;
        }

        string? transfer = null;
        if (!string.IsNullOrWhiteSpace(_agent.TransferNumber))
        {
            transfer = E164.TryNormalize(_agent.TransferNumber);
            if (transfer is null)
            {
                _error = "The transfer number is not a valid phone number.";
                return false;
            }
        }

        // Only a voice the speech service really speaks (the select offers no other; this guards a stale form).
        if (!await VoiceIsOfferedAsync(_agent.VoiceId))
        {
            _error = "Choose one of the voices offered.";
            return false;
        }

        await using var db = await DbFactory.CreateDbContextAsync();
        var persona = await db.AgentPersonas.FirstAsync(a => a.Id == _agent.Id);
        persona.Name = _agent.Name.Trim();
        persona.Greeting = _agent.Greeting.Trim();
        persona.Personality = _agent.Personality;
        persona.CustomInstructions = _agent.CustomInstructions;
        persona.TransferNumber = transfer;
        persona.VoiceId = _agent.VoiceId;
        await db.SaveChangesAsync();
        Profiles.Invalidate(_business.Id);
        return true;
    }

    /// <summary>True when the default speech service offers <paramref name="voiceId"/>, offers none, or cannot be asked now (calls fall back then).</summary>
    private async Task<bool> VoiceIsOfferedAsync(string voiceId)
    {
        try
        {
            var offered = await Voices.ListAsync(null, CancellationToken.None);
            return offered.Count == 0 || offered.Any(v => v.Id == voiceId);
        }
        catch (Portal.Voice.SpeechToText.SpeechProviderException)
        {
            return true;
        }
    }

    private async Task FinishAsync()
    {
        _error = null;
        _busy = true;
        try
        {
            _heldNumber = await Pool.HeldByAsync(_business.Id, CancellationToken.None);
            if (_heldNumber is null || !await Pool.AssignAsync(_business.Id, _heldNumber.Id, _agent.Id, CancellationToken.None))
            {
                _error = "Your number reservation expired. Go back to step 2 and pick a number again.";
                return;
            }

            await using var db = await DbFactory.CreateDbContextAsync();
            var persona = await db.AgentPersonas.FirstAsync(a => a.Id == _agent.Id);
            persona.IsLive = true;
            var tenant = await db.Tenants.FirstAsync();
            tenant.Status = TenantStatus.Active;
            tenant.OnboardingStep = 4;
            tenant.FactsVersion++;
            await db.SaveChangesAsync();
            Profiles.Invalidate(tenant.Id);
            Knowledge.Invalidate(tenant.Id);
            _heldNumber = await Pool.HeldByAsync(_business.Id, CancellationToken.None);
            _live = true;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task SaveStepAsync(int step)
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        var tenant = await db.Tenants.FirstAsync();
        if (tenant.OnboardingStep < step)
        {
            tenant.OnboardingStep = step;
            await db.SaveChangesAsync();
        }
    }
}
