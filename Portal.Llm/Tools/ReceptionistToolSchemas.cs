using System.Text.Json;

namespace Portal.Llm.Tools;

/// <summary>The JSON Schemas (https://json-schema.org/draft/2020-12) of the receptionist tools' arguments, as the model sees them.</summary>
internal static class ReceptionistToolSchemas
{
    /// <summary>Arguments of <c>search_knowledge</c>: the query.</summary>
    public static readonly JsonElement SearchSchema = PortalTool.Schema("""
        {"type":"object","properties":{"query":{"type":"string","description":"What the caller wants to know, in a few words."}},"required":["query"],"additionalProperties":false}
        """);

    /// <summary>Arguments of <c>check_availability</c>: service, local date and optional time.</summary>
    public static readonly JsonElement AvailabilitySchema = PortalTool.Schema("""
        {"type":"object","properties":{
          "service":{"type":"string","description":"Service name exactly as listed in the business facts."},
          "date":{"type":"string","description":"Local date, YYYY-MM-DD."},
          "time":{"type":"string","description":"Local start time, HH:mm (24 h). Omit to list free times that day."}},
         "required":["service","date"],"additionalProperties":false}
        """);

    /// <summary>Arguments of <c>book_appointment</c>: service, local date and time, the caller's name and phone, confirmed.</summary>
    public static readonly JsonElement BookSchema = PortalTool.Schema("""
        {"type":"object","properties":{
          "service":{"type":"string","description":"Service name exactly as listed."},
          "date":{"type":"string","description":"Local date, YYYY-MM-DD."},
          "time":{"type":"string","description":"Local start time, HH:mm (24 h)."},
          "customer_name":{"type":"string","description":"The caller's full name as they said it."},
          "customer_phone":{"type":"string","description":"The caller's callback number. May be omitted on a phone call (caller id is used)."},
          "confirmed":{"type":"boolean","description":"false to get the read-back to say to the caller; true only after the caller said yes to that read-back in their last message."}},
         "required":["service","date","time","customer_name","confirmed"],"additionalProperties":false}
        """);

    /// <summary>Arguments of <c>reschedule_appointment</c>: which booking, the new local date and time, confirmed.</summary>
    public static readonly JsonElement RescheduleSchema = PortalTool.Schema("""
        {"type":"object","properties":{
          "customer_phone":{"type":"string","description":"Phone number the booking was made with (caller id on a phone call)."},
          "customer_name":{"type":"string","description":"Name the booking was made under."},
          "booking_id":{"type":"string","description":"Id of the booking to move, when several were listed."},
          "date":{"type":"string","description":"New local date, YYYY-MM-DD."},
          "time":{"type":"string","description":"New local start time, HH:mm (24 h)."},
          "confirmed":{"type":"boolean","description":"false to get the read-back; true only after the caller said yes to it."}},
         "required":["date","time","confirmed"],"additionalProperties":false}
        """);

    /// <summary>Arguments of <c>cancel_appointment</c>: which booking, confirmed.</summary>
    public static readonly JsonElement CancelSchema = PortalTool.Schema("""
        {"type":"object","properties":{
          "customer_phone":{"type":"string","description":"Phone number the booking was made with (caller id on a phone call)."},
          "customer_name":{"type":"string","description":"Name the booking was made under."},
          "booking_id":{"type":"string","description":"Id of the booking to cancel, when several were listed."},
          "confirmed":{"type":"boolean","description":"false to get the read-back; true only after the caller said yes to it."}},
         "required":["confirmed"],"additionalProperties":false}
        """);

    /// <summary>Arguments of <c>take_message</c>: the message and the caller's name and phone.</summary>
    public static readonly JsonElement MessageSchema = PortalTool.Schema("""
        {"type":"object","properties":{
          "message":{"type":"string","description":"The caller's message, in their words."},
          "caller_name":{"type":"string","description":"The caller's name, if given."},
          "caller_phone":{"type":"string","description":"Callback number, if given."}},
         "required":["message"],"additionalProperties":false}
        """);

    /// <summary>Arguments of <c>save_caller_details</c>: the caller's name and phone.</summary>
    public static readonly JsonElement DetailsSchema = PortalTool.Schema("""
        {"type":"object","properties":{
          "customer_name":{"type":"string","description":"The caller's name, as they said it."},
          "customer_phone":{"type":"string","description":"The caller's phone number, as they said it."}},
         "additionalProperties":false}
        """);

    /// <summary>No arguments.</summary>
    public static readonly JsonElement EmptySchema = PortalTool.Schema("""{"type":"object","properties":{},"additionalProperties":false}""");
}
