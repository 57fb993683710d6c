namespace Portal.Fakes.Twilio;

/// <summary>One request as the fake received it.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path.</param>
/// <param name="Query">Query parameters.</param>
/// <param name="Form">Form fields (last value wins).</param>
/// <param name="FormKeysInOrder">Form field names as sent.</param>
/// <param name="Authorization">The <c>Authorization</c> header.</param>
/// <param name="ContentType">The <c>Content-Type</c> header, if any.</param>
/// <param name="Accept">The <c>Accept</c> header.</param>
public sealed record RecordedRequest(
    string Method,
    string Path,
    Dictionary<string, string> Query,
    Dictionary<string, string> Form,
    List<string> FormKeysInOrder,
    string Authorization,
    string? ContentType,
    string Accept);
