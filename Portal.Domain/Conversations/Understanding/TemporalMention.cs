namespace Portal.Domain.Conversations.Understanding;

/// <summary>
/// Coarse part of the day a caller mentions ("in the morning", "tonight") so the scheduler can filter slots
/// even when no exact time was given.
/// </summary>
public enum PartOfDay
{
    /// <summary>No part of the day was mentioned.</summary>
    None,

    /// <summary>"morning", "first thing": roughly before noon.</summary>
    Morning,

    /// <summary>"afternoon", "after lunch", "end of the day": roughly noon to 5 pm.</summary>
    Afternoon,

    /// <summary>"evening", "tonight", "after work": roughly after 5 pm.</summary>
    Evening,
}

/// <summary>Which end of the day a caller asks for when they name no time ("first thing", "end of the day").</summary>
public enum DayEdge
{
    /// <summary>No edge was said.</summary>
    None,

    /// <summary>"first thing": the earliest free start of the day.</summary>
    Start,

    /// <summary>"end of the day", "last thing": the latest free start of the day.</summary>
    End,
}

/// <summary>
/// A date and/or time the caller mentioned, already resolved against the business's local "now"
/// by <see cref="TemporalParser"/>. All values are in the business's local time zone.
/// </summary>
/// <param name="Date">Resolved calendar date, or null if no date was said.</param>
/// <param name="Time">Resolved local time of day, or null if no time was said.</param>
/// <param name="PartOfDay">Part of the day that was said, or <see cref="PartOfDay.None"/>.</param>
/// <param name="AmPmInferred">True when the caller gave an hour without am/pm and the parser picked one (1..7 pm, 8..11 am, 12 noon).</param>
/// <param name="IsAsap">True for "as soon as possible", "earliest", "next available", "first available", "asap".</param>
/// <param name="DateIsVague">True for ranges such as "next week" or "sometime soon"; <paramref name="Date"/> is then the first day of the range.</param>
public sealed record TemporalMention(
    DateOnly? Date,
    TimeOnly? Time,
    PartOfDay PartOfDay,
    bool AmPmInferred,
    bool IsAsap,
    bool DateIsVague)
{
    /// <summary>Earliest acceptable local time when the caller gave a lower bound without a time ("after lunch" is 13:00), else null.</summary>
    public TimeOnly? NotBefore { get; init; }

    /// <summary>The end of the day asked for ("first thing", "end of the day"), or <see cref="DayEdge.None"/>.</summary>
    public DayEdge Edge { get; init; }
}
