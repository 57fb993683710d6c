namespace Portal.Data.Text;

/// <summary>
/// The one check every text input passes at the edge (API endpoints, the chat console, forms, uploads). Control
/// characters are refused: U+0000 cannot be stored in a PostgreSQL text column at all (SQLSTATE 22021,
/// https://www.postgresql.org/docs/current/datatype-character.html) and the other C0/C1 controls have no meaning in a
/// name, an FAQ or a caller's sentence. Tab, line feed and carriage return are ordinary whitespace and pass.
/// Bidirectional embedding, override and isolate characters (U+202A–U+202E, U+2066–U+2069, Unicode UAX #9 §2) are
/// stripped from names and file names, so "invoice&lt;U+202E&gt;gpj.md" cannot display as "invoicedm.jpg".
/// </summary>
public static class InputText
{
    /// <summary>True for a C0 control other than tab, line feed and carriage return, DEL, or a C1 control (U+0080–U+009F).</summary>
    public static bool IsForbiddenControl(char c) => c is (< ' ' and not ('\t' or '\n' or '\r')) or (>= '\u007F' and <= '\u009F');

    /// <summary>True for a bidirectional embedding, override or isolate character (U+202A–U+202E, U+2066–U+2069).</summary>
    public static bool IsBidiControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>True when <paramref name="value"/> holds a character <see cref="IsForbiddenControl"/> refuses (null and empty hold none).</summary>
    public static bool HasForbiddenControl(string? value) => value is not null && value.AsSpan().IndexOfAnyInRange('\0', '\u009F') >= 0 && value.Any(IsForbiddenControl);

    /// <summary>
    /// The owner-facing message for a value holding control characters, naming the field ("The question contains a
    /// control character (U+0000). Remove it and try again."), or null when the value is acceptable.
    /// </summary>
    /// <param name="value">The text as entered.</param>
    /// <param name="field">The field as people call it: "the question", "your message".</param>
    public static string? ControlCharacterError(string? value, string field)
    {
        if (!HasForbiddenControl(value))
        {
            return null;
        }

        var c = value!.First(IsForbiddenControl);
        var name = field.Length == 0 ? "The text" : char.ToUpperInvariant(field[0]) + field[1..];
        return $"{name} contains an invisible control character (U+{(int)c:X4}). Remove it and try again.";
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> with <see cref="ControlCharacterError"/>'s message when <paramref name="value"/>
    /// holds a control character; the parameter name is <paramref name="parameterName"/>.
    /// </summary>
    public static void EnsureNoControlCharacters(string? value, string field, string parameterName)
    {
        if (ControlCharacterError(value, field) is { } error)
        {
            throw new ArgumentException(error, parameterName);
        }
    }

    /// <summary><paramref name="value"/> without bidirectional embedding, override and isolate characters (null stays null).</summary>
    public static string? StripBidiControls(string? value) =>
        value is null || !value.Any(IsBidiControl) ? value : string.Concat(value.Where(c => !IsBidiControl(c)));

    /// <summary>
    /// A name or file name as stored: bidi controls stripped, trimmed. Returns null and sets <paramref name="error"/> when
    /// it holds a control character.
    /// </summary>
    public static string? CleanName(string? value, string field, out string? error)
    {
        error = ControlCharacterError(value, field);
        return error is null ? StripBidiControls(value)?.Trim() : null;
    }
}
