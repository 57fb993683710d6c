using System.Collections.Frozen;

namespace Portal.Domain.Conversations.Understanding;

/// <summary>Time-of-day matchers: clock times, "half past", "quarter to", am/pm, "at 3", "noon".</summary>
internal static class ClockTimes
{
    /// <summary>Words that make a following bare number a time ("at 3", "anytime after 4").</summary>
    internal static readonly FrozenSet<string> TimePrepositions = new[]
    {
        "at", "around", "about", "by", "after", "before", "until", "till", "til", "from", "round", "approximately", "between",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Nouns that show a number is a count, a duration or money, not a time ("2 kids", "50 dollars").</summary>
    internal static readonly FrozenSet<string> CountNouns = new[]
    {
        "people", "persons", "person", "guests", "guest", "kids", "kid", "children", "child", "adults", "adult",
        "of", "minutes", "minute", "mins", "min", "hours", "hour", "hrs", "days", "day", "weeks", "week", "months",
        "month", "years", "year", "dollars", "dollar", "bucks", "cents", "percent", "times", "x", "cars", "dogs",
        "cats", "teeth", "rooms", "bedrooms", "bedroom", "units", "miles", "pounds", "feet", "inches", "degrees",
        "st", "nd", "rd", "th", "peeps", "seats", "tables", "year-olds", "olds",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Words before "one" that make it a pronoun ("the first one", "that one", "find me one", "I need one").</summary>
    internal static readonly FrozenSet<string> OneDeterminers = new[]
    {
        "the", "a", "an", "that", "this", "which", "any", "another", "other", "each", "every", "no", "same", "next", "last",
        "earlier", "later", "new", "only", "me", "need", "want", "get", "find", "take", "pick", "choose", "book", "grab",
        "prefer", "like", "have", "got", "see", "little", "big", "good", "better", "best", "soonest", "earliest",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Words that may follow "at 1430" when it is a time (not "at 1430 Main Street").</summary>
    internal static readonly FrozenSet<string> CompactClockFollowers = new[]
    {
        "on", "today", "tonight", "please", "if", "or", "and", "then", "works", "would", "is", "sharp", "ok", "okay",
        "thanks", "thank", "next", "this", "for", "latest", "at", "in", "instead", "maybe", "work", "fine", "good",
        "the", "tmrw", "tomorrow", "that", "should", "could", "exactly", "time",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Records a time. The first time wins, except that a bare number read only because a time was expected
    /// (<paramref name="weak"/>) gives way to a later explicit one ("I was going to do 11, maybe 10am?").
    /// </summary>
    internal static void SetTime(TemporalScanner s, int hour, int minute, Meridiem meridiem, bool twentyFourHour, bool weak = false)
    {
        if (s.Hour >= 0 && !(s.TimeIsWeak && !weak) || hour is < 0 or > 23 || minute is < 0 or > 59)
        {
            return;
        }

        s.TimeIsWeak = weak;
        s.Hour = hour;
        s.Minute = minute;
        s.ClockMeridiem = meridiem;
        s.TwentyFourHour = twentyFourHour || hour is 0 or > 12;
    }

    internal static int TryTime(TemporalScanner s, int index)
    {
        var token = s.At(index);
        switch (token)
        {
            case "noon" or "noonish" or "midday" or "mid":
                if (token == "mid" && !s.Is(index + 1, "day"))
                {
                    return 0;
                }

                SetTime(s, 12, 0, Meridiem.None, twentyFourHour: true);
                return token == "mid" ? 2 : 1;
            case "midnight":
                SetTime(s, 0, 0, Meridiem.None, twentyFourHour: true);
                return 1;
            case "half" or "quarter":
                return TryPastOrTo(s, index, token == "half" ? 30 : 15, index + 1);
        }

        if (token.Contains(':', StringComparison.Ordinal))
        {
            return TryClockToken(s, index);
        }

        var usedMinutes = NumberWords.TryCardinal(s.Tokens, index, out var minutesBefore);
        if (usedMinutes > 0 && (s.Is(index + usedMinutes, "past") || s.Is(index + usedMinutes, "to"))
            && minutesBefore is > 0 and <= 30)
        {
            var pastOrTo = TryPastOrTo(s, index, minutesBefore, index + usedMinutes);
            if (pastOrTo > 0)
            {
                return pastOrTo;
            }
        }

        // "Tuesday late morning, like 11", "Wednesday, early afternoon, say 1": once a day or daypart is said, a hedge
        // word before a bare hour introduces it like "at".
        if (token is "like" or "say" or "maybe" or "ideally" or "preferably" or "roughly" or "perhaps" && (s.Date is not null || s.DayPart != PartOfDay.None))
        {
            var hedged = TryHourAt(s, index + 1, introduced: true, weak: false);
            return hedged > 0 ? hedged + 1 : 0;
        }

        if (TimePrepositions.Contains(token))
        {
            var compact = TryCompactClock(s, index + 1, introduced: true);
            var used = compact > 0 ? compact : TryHourAt(s, index + 1, introduced: true, weak: false);
            return used > 0 ? used + 1 : 0;
        }

        var bare = TryCompactClock(s, index, introduced: false);
        return bare > 0 ? bare : TryHourAt(s, index, introduced: s.ExpectingTime && !s.Is(index - 1, "for"), weak: true);
    }

    /// <summary>"half past ten", "quarter to four", "ten past 3", "twenty to 5" (minutes before the hour word).</summary>
    internal static int TryPastOrTo(TemporalScanner s, int start, int minutes, int relationIndex)
    {
        var relation = s.At(relationIndex);
        if (relation is not ("past" or "after" or "to" or "till" or "of"))
        {
            return 0;
        }

        var isTo = relation is "to" or "till" or "of";
        if (isTo && (minutes is not (5 or 10 or 15 or 20 or 25) || s.Is(start - 1, "from") || s.Is(start - 1, "between")))
        {
            return 0;
        }

        if (relation is "after" or "of" && minutes != 15)
        {
            return 0;
        }

        var used = NumberWords.TryCardinal(s.Tokens, relationIndex + 1, out var hour);
        if (used == 0 || hour is < 1 or > 12 || CountNouns.Contains(s.At(relationIndex + 1 + used)))
        {
            return 0;
        }

        var end = relationIndex + 1 + used;
        var meridiem = ReadMeridiem(s, end, out var suffixUsed);
        var minute = isTo ? 60 - minutes : minutes;
        var finalHour = isTo ? hour - 1 : hour;
        if (finalHour == 0)
        {
            finalHour = 12;
        }

        SetTime(s, finalHour, minute, meridiem, twentyFourHour: false);
        return end + suffixUsed - start;
    }

    internal static int TryClockToken(TemporalScanner s, int index)
    {
        var parts = s.At(index).Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var hour) || parts[1].Length != 2
            || !int.TryParse(parts[1], out var minute) || hour > 23 || minute > 59)
        {
            return 0;
        }

        var meridiem = ReadMeridiem(s, index + 1, out var suffixUsed);
        SetTime(s, hour, minute, meridiem, twentyFourHour: parts[0].Length == 2 && parts[0][0] == '0' && meridiem == Meridiem.None);
        return 1 + suffixUsed;
    }

    /// <summary>
    /// Reads "3", "3 pm", "ten thirty", "10 30 am", "two o'clock" at <paramref name="index"/>. Without am/pm,
    /// o'clock or explicit minutes the number counts only when <paramref name="introduced"/> is true; <paramref name="weak"/>
    /// marks a number accepted only because a time was expected.
    /// </summary>
    internal static int TryHourAt(TemporalScanner s, int index, bool introduced, bool weak)
    {
        if (s.SkipDigitRun(index) > 0 || s.At(index) is "o" or "oh")
        {
            return 0;
        }

        var used = NumberWords.TryCardinal(s.Tokens, index, out var hour);
        if (used == 0 || hour > 23 || IsOneAsPronoun(s, index))
        {
            return 0;
        }

        var j = index + used;
        var minute = 0;
        var hasMinutes = false;
        if (hour <= 12)
        {
            var minuteUsed = ReadMinutes(s, j, out minute);
            if (minuteUsed > 0)
            {
                hasMinutes = true;
                j += minuteUsed;
            }
        }

        var meridiem = ReadMeridiem(s, j, out var suffixUsed);
        var oclock = s.Is(j, "oclock") ? 1 : s.IsSequence(j, "o", "clock") ? 2 : 0;
        if (CountNouns.Contains(s.At(j)) && suffixUsed == 0)
        {
            return 0;
        }

        if (meridiem != Meridiem.None)
        {
            if (hour > 12 || hour == 0 && meridiem == Meridiem.Pm)
            {
                SetTime(s, hour, minute, Meridiem.None, twentyFourHour: true);
            }
            else
            {
                SetTime(s, hour == 0 ? 12 : hour, minute, meridiem, twentyFourHour: false);
            }

            return j + suffixUsed - index;
        }

        var explicitForm = oclock > 0 || hasMinutes && NumberWords.IsNumberWord(s.At(index)) || IsPartOfDayNext(s, j);
        if (explicitForm || introduced)
        {
            SetTime(s, hour, minute, Meridiem.None, twentyFourHour: false, weak: weak && !explicitForm);
            return j + oclock - index;
        }

        return 0;
    }

    /// <summary>
    /// "at one on Center street", "at one of", "the first one", "find me one", "I need one": "one" is a word there,
    /// not 1 o'clock.
    /// </summary>
    internal static bool IsOneAsPronoun(TemporalScanner s, int index) =>
        s.Is(index, "one") && (s.Is(index + 1, "of") || s.Is(index + 1, "on") && !DayPhrases.Weekdays.ContainsKey(s.At(index + 2))
            && !s.Is(index + 2, "the") && !DayPhrases.TomorrowWords.Contains(s.At(index + 2)) && !s.Is(index + 2, "today")
            || (OneDeterminers.Contains(s.At(index - 1)) || index > 0 && NumberWords.TryOrdinal(s.Tokens, index - 1, out _) > 0)
                && !ClockWordFollows(s, index + 1));

    /// <summary>"the one o'clock slot", "that one thirty": a clock form after "one" keeps it a time.</summary>
    internal static bool ClockWordFollows(TemporalScanner s, int index) =>
        s.At(index) is "oclock" or "o" or "oh" or "am" or "pm" || NumberWords.IsDigits(s.At(index))
        || NumberWords.TryCardinal(s.Tokens, index, out var minute) > 0 && minute is >= 10 and <= 59;

    /// <summary>
    /// "hhmm" without a colon: "at 0930", "around 1430", "930 am", "1430 hours". Without am/pm or "hours" only
    /// four digits after a time preposition count, and only when what follows is not an address or a count.
    /// </summary>
    internal static int TryCompactClock(TemporalScanner s, int index, bool introduced)
    {
        var token = s.At(index);
        if (token.Length is < 3 or > 4 || !NumberWords.IsDigits(token) || s.SkipDigitRun(index) > 0)
        {
            return 0;
        }

        var hour = int.Parse(token[..^2], System.Globalization.CultureInfo.InvariantCulture);
        var minute = int.Parse(token[^2..], System.Globalization.CultureInfo.InvariantCulture);
        if (hour > 23 || minute > 59)
        {
            return 0;
        }

        var meridiem = ReadMeridiem(s, index + 1, out var suffixUsed);
        if (meridiem != Meridiem.None)
        {
            if (hour is 0 or > 12)
            {
                return 0;
            }

            SetTime(s, hour, minute, meridiem, twentyFourHour: false);
            return 1 + suffixUsed;
        }

        if (token.Length != 4)
        {
            return 0;
        }

        if (s.At(index + 1) is "hours" or "hrs" or "hundred")
        {
            SetTime(s, hour, minute, Meridiem.None, twentyFourHour: true);
            return 2;
        }

        var next = s.At(index + 1);
        var timeFollows = next.Length == 0 || CompactClockFollowers.Contains(next) || DayPhrases.Weekdays.ContainsKey(next)
            || DayPhrases.Months.ContainsKey(next) || DayPhrases.TomorrowWords.Contains(next);
        if (!introduced || !timeFollows)
        {
            return 0;
        }

        SetTime(s, hour, minute, Meridiem.None, twentyFourHour: token[0] == '0');
        return 1;
    }

    /// <summary>True for "in the morning/afternoon/evening", "at night", "tonight", "this afternoon" after an hour.</summary>
    internal static bool IsPartOfDayNext(TemporalScanner s, int index) =>
        s.IsSequence(index, "in", "the") && s.At(index + 2) is "morning" or "afternoon" or "evening"
        || s.IsSequence(index, "at", "night") || s.Is(index, "tonight")
        || s.Is(index, "this") && s.At(index + 1) is "morning" or "afternoon" or "evening";

    /// <summary>Minutes after an hour: "thirty", "forty five", "oh five", "30", "05".</summary>
    internal static int ReadMinutes(TemporalScanner s, int index, out int minute)
    {
        minute = 0;
        var token = s.At(index);
        if (token is "oh" or "o" && NumberWords.SpokenDigit(s.At(index + 1)) is > 0 and var digit && !NumberWords.IsDigits(s.At(index + 1)))
        {
            minute = digit;
            return 2;
        }

        if (NumberWords.IsDigits(token))
        {
            if (token.Length == 2 && int.TryParse(token, out minute) && minute <= 59 && !CountNouns.Contains(s.At(index + 1)))
            {
                return 1;
            }

            minute = 0;
            return 0;
        }

        var used = NumberWords.TryCardinal(s.Tokens, index, out minute);
        if (used > 0 && minute is >= 10 and <= 59 && !CountNouns.Contains(s.At(index + used)))
        {
            return used;
        }

        minute = 0;
        return 0;
    }

    internal static Meridiem ReadMeridiem(TemporalScanner s, int index, out int used)
    {
        used = 1;
        switch (s.At(index))
        {
            case "am" when !s.Is(index + 1, "not") && !s.Is(index + 1, "free") && !s.Is(index + 1, "available"):
                return Meridiem.Am;
            case "pm" or "p":
                if (s.At(index) == "p" && !s.Is(index + 1, "m"))
                {
                    break;
                }

                used = s.At(index) == "p" ? 2 : 1;
                return Meridiem.Pm;
            case "a" when s.Is(index + 1, "m"):
                used = 2;
                return Meridiem.Am;
        }

        used = 0;
        return Meridiem.None;
    }

}
