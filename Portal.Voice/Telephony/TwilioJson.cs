using System.Text.Json.Serialization;

namespace Portal.Voice.Telephony;

// Wire shapes of the Twilio 2010-04-01 REST API (protocols.md §3; twilio-python fixtures
// test_local.py, test_incoming_phone_number.py). Only the fields we read are declared.
// Case-insensitive because AvailablePhoneNumbers sends "SMS"/"MMS" capability keys on some
// accounts while IncomingPhoneNumbers sends "sms"/"mms".

internal sealed record TwilioCapabilitiesDto(bool? Voice, bool? Sms, bool? Mms, bool? Fax);

internal sealed record TwilioAvailableNumberDto(
    string? PhoneNumber,
    string? FriendlyName,
    string? Locality,
    string? Region,
    string? PostalCode,
    string? IsoCountry,
    TwilioCapabilitiesDto? Capabilities);

internal sealed record TwilioAvailableNumbersPageDto(IReadOnlyList<TwilioAvailableNumberDto>? AvailablePhoneNumbers, string? Uri);

internal sealed record TwilioIncomingNumberDto(
    string? Sid,
    string? PhoneNumber,
    string? FriendlyName,
    TwilioCapabilitiesDto? Capabilities,
    string? VoiceUrl,
    string? StatusCallback);

internal sealed record TwilioIncomingNumbersPageDto(
    IReadOnlyList<TwilioIncomingNumberDto>? IncomingPhoneNumbers,
    string? Uri,
    string? NextPageUri,
    int? PageSize);

internal sealed record TwilioCallDto(string? Sid, string? Status, string? Duration, string? EndTime);

internal sealed record TwilioErrorDto(int? Code, string? Message, string? MoreInfo, int? Status, string? Detail);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(TwilioAvailableNumbersPageDto))]
[JsonSerializable(typeof(TwilioIncomingNumberDto))]
[JsonSerializable(typeof(TwilioIncomingNumbersPageDto))]
[JsonSerializable(typeof(TwilioCallDto))]
[JsonSerializable(typeof(TwilioErrorDto))]
internal sealed partial class TwilioJsonContext : JsonSerializerContext;
