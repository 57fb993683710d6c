namespace Portal.Domain.Conversations.Understanding;

/// <summary>AM or PM as said ("3 pm"), or none.</summary>
internal enum Meridiem
{
    /// <summary>Not said.</summary>
    None,

    /// <summary>Before noon.</summary>
    Am,

    /// <summary>After noon.</summary>
    Pm,
}

/// <summary>
/// The mutable state of one parse by <see cref="TemporalParser"/>: the tokens, what has been found so far (the first date
/// and the first time win), and the primitives the matchers share. The matchers live by responsibility in
/// <see cref="DayPhrases"/>, <see cref="ClockTimes"/>, <see cref="CalendarDates"/> and <see cref="HolidayDates"/>.
/// </summary>
internal sealed class TemporalScanner
{
    /// <summary>The normalized words of the utterance.</summary>
    public string[] Tokens { get; }

    /// <summary>The business's local now the mention is resolved against.</summary>
    public DateTime Now { get; }

    /// <summary>The business's local today.</summary>
    public DateOnly Today { get; }

    /// <summary>True when the agent just asked for a time (a bare number counts as one).</summary>
    public bool ExpectingTime { get; }

    /// <summary>The first date mentioned.</summary>
    public DateOnly? Date { get; set; }

    /// <summary>True when the date is a range's start ("next week").</summary>
    public bool Vague { get; set; }

    /// <summary>True for "as soon as possible", "the earliest".</summary>
    public bool Asap { get; set; }

    /// <summary>The part of the day mentioned.</summary>
    public PartOfDay DayPart { get; set; }

    /// <summary>The hour said (0..23, -1 when none), before am/pm is resolved.</summary>
    public int Hour { get; set; } = -1;

    /// <summary>The minute said.</summary>
    public int Minute { get; set; }

    /// <summary>AM or PM when said.</summary>
    public Meridiem ClockMeridiem { get; set; }

    /// <summary>True when the hour is on a 24-hour clock (0, 13..23, "noon").</summary>
    public bool TwentyFourHour { get; set; }

    /// <summary>True when the time is a bare number read only because a time was expected.</summary>
    public bool TimeIsWeak { get; set; }

    /// <summary>The earliest time a bounded part of the day allows ("late afternoon": 3 PM).</summary>
    public TimeOnly? NotBefore { get; set; }

    /// <summary>"First thing" or "end of the day".</summary>
    public DayEdge EdgeOfDay { get; set; }

    /// <summary>Starts a scan of <paramref name="tokens"/> resolved against <paramref name="now"/>.</summary>
    public TemporalScanner(string[] tokens, DateTime now, bool expectingTime)
    {
        Tokens = tokens;
        Now = now;
        Today = DateOnly.FromDateTime(now);
        ExpectingTime = expectingTime;
    }

    /// <summary>Scans left to right; each matcher consumes the tokens it reads.</summary>
    public void Run()
    {
        var i = 0;
        while (i < Tokens.Length)
        {
            var consumed = SkipDigitRun(i);
            if (consumed == 0)
            {
                consumed = TryAsap(i);
            }

            if (consumed == 0)
            {
                consumed = DayPhrases.TryPartOfDay(this, i);
            }

            if (consumed == 0)
            {
                consumed = DayPhrases.TryRelativeDay(this, i);
            }

            if (consumed == 0)
            {
                consumed = DayPhrases.TryWeekday(this, i);
            }

            if (consumed == 0)
            {
                consumed = HolidayDates.TryHoliday(this, i);
            }

            if (consumed == 0)
            {
                consumed = CalendarDates.TryCalendarDate(this, i);
            }

            if (consumed == 0)
            {
                consumed = ClockTimes.TryTime(this, i);
            }

            i += Math.Max(consumed, 1);
        }
    }

    /// <summary>The mention found, or null when nothing temporal was said.</summary>
    public TemporalMention? Build()
    {
        if (Date is null && Hour < 0 && DayPart == PartOfDay.None && !Asap && EdgeOfDay == DayEdge.None)
        {
            return null;
        }

        TimeOnly? time = null;
        var inferred = false;
        if (Hour >= 0)
        {
            var hour = ResolveHour(out inferred);
            time = new TimeOnly(hour, Minute);
        }

        return new TemporalMention(Date, time, DayPart, inferred, Asap, Vague)
        {
            NotBefore = time is null ? NotBefore : null,
            Edge = time is null ? EdgeOfDay : DayEdge.None,
        };
    }

    private int ResolveHour(out bool inferred)
    {
        inferred = false;
        var hour = Hour;
        if (TwentyFourHour)
        {
            return hour;
        }

        switch (ClockMeridiem)
        {
            case Meridiem.Am:
                return hour == 12 ? 0 : hour;
            case Meridiem.Pm:
                return hour == 12 ? 12 : hour + 12;
        }

        switch (DayPart)
        {
            case PartOfDay.Morning:
                return hour == 12 ? 0 : hour;
            case PartOfDay.Afternoon or PartOfDay.Evening:
                return hour == 12 ? 12 : hour + 12;
        }

        inferred = true;
        var guess = hour is >= 1 and <= 7 ? hour + 12 : hour;

        // "today at 9" said at 09:15 means 9 pm if that is still ahead.
        if (Date == Today && guess < 12 && hour != 12
            && new TimeOnly(guess, Minute) < TimeOnly.FromDateTime(Now))
        {
            guess += 12;
        }

        return guess;
    }

    public string At(int index) => index >= 0 && index < Tokens.Length ? Tokens[index] : string.Empty;

    public bool Is(int index, string word) => string.Equals(At(index), word, StringComparison.Ordinal);

    public bool IsSequence(int index, params ReadOnlySpan<string> words)
    {
        for (var k = 0; k < words.Length; k++)
        {
            if (!Is(index + k, words[k]))
            {
                return false;
            }
        }

        return true;
    }

    public void SetDate(DateOnly date, bool vague)
    {
        if (Date is null)
        {
            Date = date;
            Vague = vague;
        }
    }

    public void SetPartOfDay(PartOfDay partOfDay)
    {
        if (DayPart == PartOfDay.None)
        {
            DayPart = partOfDay;
        }
    }

    /// <summary>Skips a run of 7+ digits (a phone number), written or spoken, so its pieces are never read as times.</summary>
    public int SkipDigitRun(int index)
    {
        var digits = 0;
        var j = index;
        while (j < Tokens.Length)
        {
            var token = Tokens[j];
            if (NumberWords.IsDigits(token))
            {
                digits += token.Length;
            }
            else if (NumberWords.SpokenDigit(token) >= 0 && token != "o")
            {
                digits++;
            }
            else if (token is "double" or "triple")
            {
                digits += token == "double" ? 1 : 2;
            }
            else
            {
                break;
            }

            j++;
        }

        return digits >= 7 ? j - index : 0;
    }

    public int TryAsap(int index)
    {
        var consumed = At(index) switch
        {
            "asap" or "asasp" or "earliest" or "soonest" => 1,
            "as" when IsSequence(index, "as", "soon", "as") => IsSequence(index + 3, "possible") ? 4 : 3,
            "as" when IsSequence(index, "as", "early", "as", "possible") => 5,
            "next" or "first" when Is(index + 1, "available") || Is(index + 1, "opening") => 2,
            "right" when Is(index + 1, "away") => 2,
            _ => 0,
        };
        if (consumed > 0)
        {
            Asap = true;
        }

        return consumed;
    }
}
