using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Portal.Data.Entities;
using Portal.Data.Tenancy;
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

    [Inject] private OnboardingService Wizard { get; set; } = default!;
    [Inject] private ITenantContext TenantContext { get; set; } = default!;
    [Inject] private TenantProvisioner Provisioner { get; set; } = default!;
    [Inject] private NumberPool Pool { get; set; } = default!;
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

        var state = await Wizard.GetAsync(CancellationToken.None) ?? throw new InvalidOperationException("The business has no agent.");
        (_business, _agent) = (state.Business, state.Agent);
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
            await Wizard.SaveBusinessAsync(_businessModel.Name, _businessModel.TimeZoneId, phone, _businessModel.Address, CancellationToken.None);
        }

        var saved = await Wizard.GetAsync(CancellationToken.None) ?? throw new InvalidOperationException("The business has no agent.");
        (_business, _agent) = (saved.Business, saved.Agent);

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

        await Wizard.SaveAgentAsync(_agent.Id, new OnboardingAgent(_agent.Name, _agent.Greeting, _agent.Personality, _agent.CustomInstructions, transfer, _agent.VoiceId), CancellationToken.None);
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
            if (!await Wizard.GoLiveAsync(_agent.Id, CancellationToken.None))
            {
                _error = "Your number reservation expired. Go back to step 2 and pick a number again.";
                return;
            }

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
        await Wizard.SaveStepAsync(step, CancellationToken.None);
    }
}
