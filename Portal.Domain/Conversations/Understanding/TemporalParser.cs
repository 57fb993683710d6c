namespace Portal.Domain.Conversations.Understanding;

/// <summary>
/// Finds the date and time a caller asks for ("next Tuesday morning", "the 5th at half past ten", "tomorrow at 3")
/// and resolves it against the business's local "now", so the scheduler can search slots without a language model.
/// Pure and allocation-light: one normalization pass plus a single left-to-right token scan; the first date and the
/// first time mentioned win.
/// </summary>
public static partial class TemporalParser
{
    /// <summary>
    /// Parses <paramref name="text"/> relative to <paramref name="now"/> (the business's current local date-time).
    /// A bare number ("3", "ten") is not a time here; use the overload with expectingTime when the agent just asked "what time?".
    /// </summary>
    /// <returns>The mention, or null when the text mentions no date, time, part of day or "asap".</returns>
    public static TemporalMention? Parse(string text, DateTime now) => Parse(text, now, expectingTime: false);

    /// <summary>
    /// Parses <paramref name="text"/> relative to <paramref name="now"/>. When <paramref name="expectingTime"/> is true
    /// (the agent just asked for a time), a bare hour such as "3" or "ten" or "3 30" counts as a time.
    /// Past dates roll forward (day of month to next month, month/day to next year); a bare weekday equal to today is today,
    /// "next &lt;weekday&gt;" is the first such weekday strictly after today.
    /// </summary>
    /// <returns>The mention, or null when the text mentions no date, time, part of day or "asap".</returns>
    public static TemporalMention? Parse(string text, DateTime now, bool expectingTime)
    {
        var normalized = TextNormalizer.Normalize(text);
        if (normalized.Length == 0)
        {
            return null;
        }

        var scanner = new Scanner(normalized.Split(' '), now, expectingTime);
        scanner.Run();
        return scanner.Build();
    }

    private enum Meridiem
    {
        None,
        Am,
        Pm,
    }

    /// <summary>Mutable state of one parse; the matchers live in the partial files by responsibility.</summary>
    private sealed partial class Scanner
    {
        private readonly string[] _tokens;
        private readonly DateTime _now;
        private readonly DateOnly _today;
        private readonly bool _expectingTime;
        private DateOnly? _date;
        private bool _vague;
        private bool _asap;
        private PartOfDay _partOfDay;
        private int _hour = -1;
        private int _minute;
        private Meridiem _meridiem;
        private bool _twentyFourHour;
        private bool _timeIsWeak;
        private TimeOnly? _notBefore;
        private DayEdge _edge;

        public Scanner(string[] tokens, DateTime now, bool expectingTime)
        {
            _tokens = tokens;
            _now = now;
            _today = DateOnly.FromDateTime(now);
            _expectingTime = expectingTime;
        }

        public void Run()
        {
            var i = 0;
            while (i < _tokens.Length)
            {
                var consumed = SkipDigitRun(i);
                if (consumed == 0)
                {
                    consumed = TryAsap(i);
                }

                if (consumed == 0)
                {
                    consumed = TryPartOfDay(i);
                }

                if (consumed == 0)
                {
                    consumed = TryRelativeDay(i);
                }

                if (consumed == 0)
                {
                    consumed = TryWeekday(i);
                }

                if (consumed == 0)
                {
                    consumed = TryHoliday(i);
                }

                if (consumed == 0)
                {
                    consumed = TryCalendarDate(i);
                }

                if (consumed == 0)
                {
                    consumed = TryTime(i);
                }

                i += Math.Max(consumed, 1);
            }
        }

        public TemporalMention? Build()
        {
            if (_date is null && _hour < 0 && _partOfDay == PartOfDay.None && !_asap && _edge == DayEdge.None)
            {
                return null;
            }

            TimeOnly? time = null;
            var inferred = false;
            if (_hour >= 0)
            {
                var hour = ResolveHour(out inferred);
                time = new TimeOnly(hour, _minute);
            }

            return new TemporalMention(_date, time, _partOfDay, inferred, _asap, _vague)
            {
                NotBefore = time is null ? _notBefore : null,
                Edge = time is null ? _edge : DayEdge.None,
            };
        }

        private int ResolveHour(out bool inferred)
        {
            inferred = false;
            var hour = _hour;
            if (_twentyFourHour)
            {
                return hour;
            }

            switch (_meridiem)
            {
                case Meridiem.Am:
                    return hour == 12 ? 0 : hour;
                case Meridiem.Pm:
                    return hour == 12 ? 12 : hour + 12;
            }

            switch (_partOfDay)
            {
                case PartOfDay.Morning:
                    return hour == 12 ? 0 : hour;
                case PartOfDay.Afternoon or PartOfDay.Evening:
                    return hour == 12 ? 12 : hour + 12;
            }

            inferred = true;
            var guess = hour is >= 1 and <= 7 ? hour + 12 : hour;

            // "today at 9" said at 09:15 means 9 pm if that is still ahead.
            if (_date == _today && guess < 12 && hour != 12
                && new TimeOnly(guess, _minute) < TimeOnly.FromDateTime(_now))
            {
                guess += 12;
            }

            return guess;
        }

        private string At(int index) => index >= 0 && index < _tokens.Length ? _tokens[index] : string.Empty;

        private bool Is(int index, string word) => string.Equals(At(index), word, StringComparison.Ordinal);

        private bool IsSequence(int index, params ReadOnlySpan<string> words)
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

        private void SetDate(DateOnly date, bool vague)
        {
            if (_date is null)
            {
                _date = date;
                _vague = vague;
            }
        }

        private void SetPartOfDay(PartOfDay partOfDay)
        {
            if (_partOfDay == PartOfDay.None)
            {
                _partOfDay = partOfDay;
            }
        }

        /// <summary>Skips a run of 7+ digits (a phone number), written or spoken, so its pieces are never read as times.</summary>
        private int SkipDigitRun(int index)
        {
            var digits = 0;
            var j = index;
            while (j < _tokens.Length)
            {
                var token = _tokens[j];
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

        private int TryAsap(int index)
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
                _asap = true;
            }

            return consumed;
        }
    }
}
