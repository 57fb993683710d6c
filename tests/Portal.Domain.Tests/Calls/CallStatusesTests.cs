using Portal.Domain.Calls;

namespace Portal.Domain.Tests.Calls;

/// <summary>Status callbacks arrive late, twice or out of order; only a later event may replace the stored status.</summary>
public sealed class CallStatusesTests
{
    [Theory]
    [InlineData(null, null, "ringing", null, true)]
    [InlineData("ringing", null, "in-progress", 1, true)]
    [InlineData("in-progress", 1, "completed", 2, true)]
    [InlineData("in-progress", null, "completed", null, true)]
    [InlineData("completed", 2, "ringing", 0, false)]
    [InlineData("completed", 2, "ringing", null, false)]
    [InlineData("completed", 2, "completed", 2, false)]
    [InlineData("completed", 2, "busy", 3, false)]
    [InlineData("in-progress", 2, "ringing", 1, false)]
    [InlineData("in-progress", 2, "ringing", 5, false)]
    [InlineData("in-progress", 2, "in-progress", 2, false)]
    [InlineData("ringing", null, "ringing", null, false)]
    [InlineData("ringing", 3, "in-progress", 1, false)]
    public void ShouldApply_OnlyLetsALaterEventReplaceTheStatus(string? current, int? currentSequence, string incoming, int? incomingSequence, bool expected) =>
        Assert.Equal(expected, CallStatuses.ShouldApply(current, currentSequence, incoming, incomingSequence));

    [Theory]
    [InlineData("Completed", "completed")]
    [InlineData("no-answer", "no-answer")]
    [InlineData("initiated", "initiated")]
    [InlineData("answered", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Normalize_AcceptsOnlyTwilioCallStatuses(string? input, string? expected) =>
        Assert.Equal(expected, CallStatuses.Normalize(input));

    [Theory]
    [InlineData("completed", true)]
    [InlineData("busy", true)]
    [InlineData("no-answer", true)]
    [InlineData("failed", true)]
    [InlineData("canceled", true)]
    [InlineData("in-progress", false)]
    [InlineData("queued", false)]
    public void IsTerminal_IsTrueForTheFiveFinalStatuses(string status, bool expected) =>
        Assert.Equal(expected, CallStatuses.IsTerminal(status));
}
