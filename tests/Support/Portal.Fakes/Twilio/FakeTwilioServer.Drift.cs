namespace Portal.Fakes.Twilio;

/// <summary>Drift injection for reconciliation tests: change, remove or add owned numbers behind the client's back.</summary>
public sealed partial class FakeTwilioServer
{
    /// <summary>A snapshot of an owned number: SID, E.164 and the webhook URLs as Twilio holds them.</summary>
    public sealed record OwnedSnapshot(string Sid, string PhoneNumber, string? VoiceUrl, string? StatusCallback);

    /// <summary>Every owned number, in purchase order.</summary>
    public IReadOnlyList<OwnedSnapshot> OwnedNumbers
    {
        get
        {
            lock (_gate)
            {
                return _owned.Select(o => new OwnedSnapshot(o.Sid, o.PhoneNumber, o.VoiceUrl, o.StatusCallback)).ToList();
            }
        }
    }

    /// <summary>Re-points an owned number's webhooks as if someone edited it in the Twilio console. False when not owned.</summary>
    public bool SetWebhooks(string phoneNumber, string? voiceUrl, string? statusCallback)
    {
        lock (_gate)
        {
            var owned = _owned.Find(o => o.PhoneNumber == phoneNumber);
            if (owned is null)
            {
                return false;
            }

            owned.VoiceUrl = voiceUrl;
            owned.StatusCallback = statusCallback;
            return true;
        }
    }

    /// <summary>Drops an owned number as if it was released in the console. False when not owned.</summary>
    public bool RemoveOwned(string phoneNumber)
    {
        lock (_gate)
        {
            return _owned.RemoveAll(o => o.PhoneNumber == phoneNumber) > 0;
        }
    }

    /// <summary>Adds a number bought outside Portal; returns its SID.</summary>
    public string AddOwned(string phoneNumber, string? voiceUrl, string? statusCallback)
    {
        lock (_gate)
        {
            var owned = new Owned(NewSid(), phoneNumber, voiceUrl, statusCallback);
            _owned.Add(owned);
            return owned.Sid;
        }
    }
}
