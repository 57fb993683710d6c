namespace Portal.Fakes.Twilio;

/// <summary>
/// The fake account's owned numbers (IncomingPhoneNumbers) and its SID counter, thread-safe: what the numbers API reads and
/// changes, and the drift injection reconciliation tests use (change, remove or add owned numbers behind the client's back).
/// </summary>
internal sealed class TwilioNumberStore
{
    private readonly Lock _gate = new();
    private readonly List<TwilioOwnedNumber> _owned = [];
    private int _nextSid = 1;

    /// <summary>The next value of the account-wide SID counter (numbers and messages share it).</summary>
    public int NextSidNumber() => Interlocked.Increment(ref _nextSid);

    /// <summary>A new IncomingPhoneNumber SID (PN + 32 hex digits).</summary>
    public string NewSid() => "PN" + NextSidNumber().ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Adds <paramref name="count"/> owned numbers (+1212555 0100 on) pointing at an old webhook.</summary>
    public void SeedOwned(int count)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _owned.Add(new TwilioOwnedNumber(NewSid(), $"+1212555{100 + i:0000}", "https://old.example.com/voice", ""));
            }
        }
    }

    /// <summary>Every owned number, in purchase order.</summary>
    public IReadOnlyList<FakeTwilioServer.OwnedSnapshot> OwnedNumbers
    {
        get
        {
            lock (_gate)
            {
                return _owned.Select(o => new FakeTwilioServer.OwnedSnapshot(o.Sid, o.PhoneNumber, o.VoiceUrl, o.StatusCallback)).ToList();
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
            var owned = new TwilioOwnedNumber(NewSid(), phoneNumber, voiceUrl, statusCallback);
            _owned.Add(owned);
            return owned.Sid;
        }
    }

    /// <summary>The owned E.164 numbers.</summary>
    public HashSet<string> PhoneNumbers()
    {
        lock (_gate)
        {
            return _owned.Select(o => o.PhoneNumber).ToHashSet(StringComparer.Ordinal);
        }
    }

    /// <summary>A copy of the owned numbers, in purchase order.</summary>
    public List<TwilioOwnedNumber> All()
    {
        lock (_gate)
        {
            return [.. _owned];
        }
    }

    /// <summary>Buys <paramref name="phone"/> with the given webhooks.</summary>
    public TwilioOwnedNumber Purchase(string phone, string? voiceUrl, string? statusCallback)
    {
        lock (_gate)
        {
            var owned = new TwilioOwnedNumber(NewSid(), phone, voiceUrl, statusCallback);
            _owned.Add(owned);
            return owned;
        }
    }

    /// <summary>Deletes (<paramref name="delete"/>) or updates the number with <paramref name="sid"/> from the form; null when not owned.</summary>
    public TwilioOwnedNumber? DeleteOrUpdate(string sid, bool delete, Dictionary<string, string> form)
    {
        lock (_gate)
        {
            var owned = _owned.Find(o => o.Sid == sid);
            if (owned is not null && delete)
            {
                _owned.Remove(owned);
            }
            else if (owned is not null)
            {
                owned.VoiceUrl = form.GetValueOrDefault("VoiceUrl", owned.VoiceUrl ?? "");
                owned.StatusCallback = form.GetValueOrDefault("StatusCallback", owned.StatusCallback ?? "");
            }

            return owned;
        }
    }
}
