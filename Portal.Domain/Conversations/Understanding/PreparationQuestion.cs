namespace Portal.Domain.Conversations.Understanding;

/// <summary>Recognises a question about getting ready for a visit, which <see cref="IntentClassifier"/> reads as a question.</summary>
internal static partial class PreparationQuestion
{
    /// <summary>
    /// True for a question about getting ready for a visit: what to do, bring, know or expect first ("is there anything I
    /// should do before my colour appointment?", "what do I need to bring?", "how should I prepare for a cleaning?").
    /// </summary>
    internal static bool IsMatch(string[] tokens) => Preparation().IsMatch(string.Join(' ', tokens));

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(?:do|will|would) (?:i|we) (?:have|need|got) to (?:do|bring|know|prepare|fill|wear|avoid|eat|stop|wash|arrive)\b|\b(?:should|must) (?:i|we) (?:do|bring|know|prepare|fill|wear|avoid|eat|stop|wash|arrive|expect)\b|\b(?:anything|something|stuff) (?:i|we) (?:should|need to|have to|must|ought to|got to) (?:do|bring|know|prepare|fill|wear|avoid)\b|\bis there anything (?:i|we) (?:should|need to|have to|must|ought to|got to)\b|\bwhat (?:do|should|must) (?:i|we) (?:do|bring|know|prepare|expect|wear)\b|\bhow (?:do|should|can) (?:i|we) (?:prepare|get ready|prep)\b|\bwhat to (?:bring|expect|wear)\b|\bneed to do (?:anything|something) (?:first|before|beforehand|ahead)\b|\b(?:any|some|what) (?:prep|preparation|prepping|aftercare|prerequisites?)\b|\bprep (?:i|we) (?:need|have|should|must)\b")]
    private static partial System.Text.RegularExpressions.Regex Preparation();
}
