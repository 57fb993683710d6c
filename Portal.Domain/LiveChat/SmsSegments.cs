namespace Portal.Domain.LiveChat;

/// <summary>
/// Splits a reply into SMS-sized messages by the segment rules of GSM 03.38 / 3GPP TS 23.038: text made only of GSM-7
/// characters fits 160 septets in one message and 153 per part when concatenated (the extension characters
/// <c>^{}\[~]|€</c> take two); anything else is UCS-2: 70 UTF-16 code units, 67 per part
/// (https://www.twilio.com/docs/glossary/what-sms-character-limit).
/// </summary>
public static class SmsSegments
{
    private const string Gsm7Basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private const string Gsm7Extension = "^{}\\[~]|€\f";

    /// <summary>True when every character of <paramref name="text"/> is in the GSM-7 default alphabet or its extension table.</summary>
    public static bool IsGsm7(string text) => text.All(c => Gsm7Basic.Contains(c, StringComparison.Ordinal) || Gsm7Extension.Contains(c, StringComparison.Ordinal));

    /// <summary>Length of <paramref name="text"/> in its encoding's units: GSM-7 septets (extension characters count 2), else UTF-16 code units.</summary>
    public static int Units(string text, bool gsm7) => gsm7 ? text.Sum(c => Gsm7Extension.Contains(c, StringComparison.Ordinal) ? 2 : 1) : text.Length;

    /// <summary>
    /// The messages to send: the whole text when it fits one segment (160 GSM-7 / 70 UCS-2), else parts of at most 153 / 67
    /// units each, cut at the last space where there is one (never inside a surrogate pair). Empty text gives no parts.
    /// </summary>
    public static IReadOnlyList<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        if (text.Length == 0)
        {
            return [];
        }

        var gsm7 = IsGsm7(text);
        if (Units(text, gsm7) <= (gsm7 ? 160 : 70))
        {
            return [text];
        }

        var limit = gsm7 ? 153 : 67;
        var parts = new List<string>();
        var rest = text;
        while (rest.Length > 0)
        {
            if (Units(rest, gsm7) <= limit)
            {
                parts.Add(rest);
                break;
            }

            // The longest prefix within the limit.
            int end = 0, units = 0;
            while (end < rest.Length)
            {
                var width = gsm7 ? (Gsm7Extension.Contains(rest[end], StringComparison.Ordinal) ? 2 : 1) : 1;
                if (units + width > limit)
                {
                    break;
                }

                units += width;
                end++;
            }

            if (end < rest.Length && char.IsHighSurrogate(rest[end - 1]))
            {
                end--;
            }

            var space = rest.LastIndexOf(' ', end - 1, end);
            var cut = space > 0 ? space : end;
            parts.Add(rest[..cut].TrimEnd());
            rest = rest[cut..].TrimStart();
        }

        return parts;
    }
}
