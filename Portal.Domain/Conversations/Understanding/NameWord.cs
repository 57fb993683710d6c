namespace Portal.Domain.Conversations.Understanding;

/// <summary>One word of the caller's text: lower-cased form plus what the casing and characters tell us.</summary>
internal readonly record struct NameWord(string Lower, string Raw)
{
    public bool IsCapitalized => Raw.Length > 0 && char.IsUpper(Raw[0]);

    public bool IsAlphabetic
    {
        get
        {
            foreach (var c in Lower)
            {
                if (!char.IsLetter(c) && c is not '\'' and not '-')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
