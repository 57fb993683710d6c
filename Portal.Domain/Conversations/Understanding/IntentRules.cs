using System.Collections.Frozen;

namespace Portal.Domain.Conversations.Understanding;

/// <summary>
/// The phrase table behind <see cref="IntentClassifier"/>: each rule is a normalized phrase (see <see cref="TextNormalizer"/>,
/// so "can't" is written "cannot") matched on whole words, with a weight in 0..1. Higher weights win, so specific
/// phrases ("move my appointment") outrank generic ones ("appointment"). A " * " inside a phrase stands for up to three
/// words ("what time does * close" matches "what time does the office close").
/// </summary>
internal static class IntentRules
{
    /// <summary>Typo and slang spellings rewritten before matching, so the rules are written once.</summary>
    public static readonly FrozenDictionary<string, string> TokenFixes = new Dictionary<string, string>
    {
        ["apointment"] = "appointment", ["appoinment"] = "appointment", ["appointmnet"] = "appointment",
        ["appoitment"] = "appointment", ["appt"] = "appointment", ["appts"] = "appointment", ["appointments"] = "appointment",
        ["appintment"] = "appointment", ["apointement"] = "appointment", ["appontment"] = "appointment",
        ["cancle"] = "cancel", ["cancell"] = "cancel", ["cancal"] = "cancel", ["canel"] = "cancel", ["cancelled"] = "cancel",
        ["canceled"] = "cancel", ["cancelling"] = "cancel", ["canceling"] = "cancel",
        ["reschedual"] = "reschedule", ["rescedule"] = "reschedule", ["reshedule"] = "reschedule", ["resched"] = "reschedule",
        ["rescheduel"] = "reschedule", ["rescheduling"] = "reschedule",
        ["thnks"] = "thanks", ["thanx"] = "thanks", ["thx"] = "thanks", ["tks"] = "thanks", ["thnx"] = "thanks",
        ["thankyou"] = "thank you", ["tysm"] = "thanks", ["ty"] = "thanks",
        ["yess"] = "yes", ["yesss"] = "yes", ["yea"] = "yeah", ["ya"] = "yeah", ["yah"] = "yeah", ["ye"] = "yeah",
        ["yup"] = "yep", ["yepp"] = "yep", ["nop"] = "nope", ["noo"] = "no", ["nooo"] = "no", ["naw"] = "nah",
        ["byee"] = "bye", ["bai"] = "bye", ["goodbye"] = "bye", ["adress"] = "address", ["addres"] = "address",
        ["locaton"] = "location", ["hrs"] = "hours", ["pls"] = "please", ["plz"] = "please", ["u"] = "you",
        ["ur"] = "your", ["r"] = "are", ["k"] = "ok", ["kk"] = "ok", ["okay"] = "ok", ["okey"] = "ok", ["okk"] = "ok",
        ["sched"] = "schedule", ["shedule"] = "schedule", ["scedule"] = "schedule", ["bookin"] = "book", ["booking"] = "book",
        ["hallo"] = "hello", ["helo"] = "hello", ["hullo"] = "hello", ["hii"] = "hi", ["heyy"] = "hey",
        ["reservations"] = "reservation", ["resevation"] = "reservation", ["reservaton"] = "reservation",
        ["operater"] = "operator", ["represenative"] = "representative", ["rep"] = "representative",
        ["msg"] = "message", ["whitning"] = "whitening", ["pricing"] = "price", ["prices"] = "price",
        ["doc"] = "doctor", ["dr"] = "doctor",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Words that alone open an utterance with "yes".</summary>
    public static readonly FrozenSet<string> YesWords = new[]
    {
        "yes", "yeah", "yep", "sure", "ok", "alright", "correct", "absolutely", "definitely", "certainly", "perfect",
        "great", "cool", "fine", "affirmative", "right", "exactly", "indeed", "yessir", "sweet", "awesome", "excellent",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Words that alone open an utterance with "no".</summary>
    public static readonly FrozenSet<string> NoWords = new[] { "no", "nope", "nah", "negative" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Filler words skipped when looking for a leading yes/no.</summary>
    public static readonly FrozenSet<string> Fillers = new[]
    {
        "um", "uh", "umm", "uhh", "er", "erm", "oh", "ah", "well", "so", "hmm", "hm", "mm", "oops", "actually", "and",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>First words that make an otherwise unmatched utterance a question.</summary>
    public static readonly FrozenSet<string> QuestionStarters = new[]
    {
        "what", "when", "where", "who", "why", "how", "which", "do", "does", "did", "is", "are", "can", "could",
        "will", "would", "should", "may", "have", "has",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>(phrase, intent, weight) rules; phrases are normalized text matched on word boundaries.</summary>
    public static readonly (string Phrase, Intent Intent, double Weight)[] Rules =
    [
        // Book
        ("book", Intent.Book, 0.85), ("appointment", Intent.Book, 0.8), ("schedule", Intent.Book, 0.85),
        ("reserve", Intent.Book, 0.85), ("reservation", Intent.Book, 0.85), ("a table", Intent.Book, 0.8),
        ("come in", Intent.Book, 0.75), ("get in", Intent.Book, 0.7), ("get me in", Intent.Book, 0.85),
        ("fit me in", Intent.Book, 0.85), ("squeeze me in", Intent.Book, 0.85), ("bring it in", Intent.Book, 0.75),
        ("drop it off", Intent.Book, 0.7), ("drop off", Intent.Book, 0.7), ("stop by", Intent.Book, 0.65),
        ("see the doctor", Intent.Book, 0.8), ("see a doctor", Intent.Book, 0.8), ("need a doctor", Intent.Book, 0.8),
        ("see doctor", Intent.Book, 0.75), ("get me with", Intent.Book, 0.75), ("look at my", Intent.Book, 0.8),
        ("take a look", Intent.Book, 0.75), ("someone to look", Intent.Book, 0.85), ("send someone", Intent.Book, 0.85),
        ("someone out", Intent.Book, 0.8), ("technician", Intent.Book, 0.75), ("fix my", Intent.Book, 0.75),
        ("repair my", Intent.Book, 0.75), ("check out the", Intent.Book, 0.7), ("check out my", Intent.Book, 0.7),
        ("viewing", Intent.Book, 0.85), ("view an", Intent.Book, 0.8), ("view the", Intent.Book, 0.75), ("view", Intent.Book, 0.65),
        ("visit", Intent.Book, 0.65), ("tour", Intent.Book, 0.65), ("sign up", Intent.Book, 0.7), ("set up", Intent.Book, 0.7),
        ("slot", Intent.Book, 0.7), ("opening", Intent.Book, 0.7), ("openings", Intent.Book, 0.75), ("availability", Intent.Book, 0.75),
        ("available", Intent.Book, 0.7), ("anything open", Intent.Book, 0.75), ("get an", Intent.Book, 0.55),
        ("can i get a", Intent.Book, 0.6), ("can i get an", Intent.Book, 0.6), ("could i get a", Intent.Book, 0.6), ("could i get an", Intent.Book, 0.6), ("i would like a", Intent.Book, 0.6), ("i would like to get", Intent.Book, 0.6),
        ("i need a", Intent.Book, 0.6), ("i want a", Intent.Book, 0.6), ("i would like to do", Intent.Book, 0.65),
        ("not working", Intent.Book, 0.65), ("stopped working", Intent.Book, 0.7), ("broken", Intent.Book, 0.65),
        ("broke", Intent.Book, 0.6), ("leaking", Intent.Book, 0.65), ("no heat", Intent.Book, 0.7), ("no ac", Intent.Book, 0.7),
        ("get my", Intent.Book, 0.55), ("make one", Intent.Book, 0.7), ("make another", Intent.Book, 0.7),
        ("see * dentist", Intent.Book, 0.8), ("see * hygienist", Intent.Book, 0.8), ("see * doctor", Intent.Book, 0.75),
        ("want to see", Intent.Book, 0.65), ("teeth cleaned", Intent.Book, 0.8), ("get * cleaned", Intent.Book, 0.75),
        ("want to get", Intent.Book, 0.6), ("i want to come", Intent.Book, 0.75), ("like to come", Intent.Book, 0.75),
        // Asking for room in the calendar: "do you have room Saturday morning for my son's cut?", "put me down for Wednesday".
        ("have room", Intent.Book, 0.8), ("any room", Intent.Book, 0.8), ("got room", Intent.Book, 0.8), ("have space", Intent.Book, 0.75),
        ("any space", Intent.Book, 0.75), ("have a spot", Intent.Book, 0.8), ("any spots", Intent.Book, 0.8), ("a free spot", Intent.Book, 0.8),
        ("got a spot", Intent.Book, 0.8), ("put me down", Intent.Book, 0.85), ("pencil me in", Intent.Book, 0.85), ("book me in", Intent.Book, 0.85),
        ("slot me in", Intent.Book, 0.85), ("put me in for", Intent.Book, 0.8),
        // Service and problem words alone: weaker than 0.6 so "how long does a cleaning take?" stays a question.
        ("checkup", Intent.Book, 0.55), ("check up", Intent.Book, 0.55), ("cleaning", Intent.Book, 0.55), ("haircut", Intent.Book, 0.55),
        ("oil change", Intent.Book, 0.55), ("tune up", Intent.Book, 0.55), ("vaccinated", Intent.Book, 0.55), ("furnace", Intent.Book, 0.55),
        ("heater", Intent.Book, 0.55), ("air conditioner", Intent.Book, 0.55), ("toothache", Intent.Book, 0.55), ("noise", Intent.Book, 0.55),
        ("leak", Intent.Book, 0.55), ("hurts", Intent.Book, 0.55), ("check engine", Intent.Book, 0.55), ("flat tire", Intent.Book, 0.55),

        // Reschedule
        ("reschedule", Intent.Reschedule, 0.95), ("move my", Intent.Reschedule, 0.9), ("move the appointment", Intent.Reschedule, 0.9),
        ("move it", Intent.Reschedule, 0.85), ("push back", Intent.Reschedule, 0.85), ("push it", Intent.Reschedule, 0.85),
        ("bump it", Intent.Reschedule, 0.85), ("change my appointment", Intent.Reschedule, 0.9), ("change the appointment", Intent.Reschedule, 0.9),
        ("change the time", Intent.Reschedule, 0.9), ("change the day", Intent.Reschedule, 0.9), ("change the date", Intent.Reschedule, 0.9),
        ("change it to", Intent.Reschedule, 0.9), ("different time", Intent.Reschedule, 0.85), ("different day", Intent.Reschedule, 0.85),
        ("another time", Intent.Reschedule, 0.8), ("another day", Intent.Reschedule, 0.8), ("cannot make it", Intent.Reschedule, 0.9),
        ("can not make it", Intent.Reschedule, 0.9), ("will not make it", Intent.Reschedule, 0.9), ("not going to make it", Intent.Reschedule, 0.9),
        ("not able to make it", Intent.Reschedule, 0.9), ("unable to make it", Intent.Reschedule, 0.9), ("switch my", Intent.Reschedule, 0.85),
        ("instead", Intent.Reschedule, 0.7), ("something came up", Intent.Reschedule, 0.85), ("bump my", Intent.Reschedule, 0.85),
        ("bump the", Intent.Reschedule, 0.85), ("move it to", Intent.Reschedule, 0.9), ("push my", Intent.Reschedule, 0.85), ("push * back", Intent.Reschedule, 0.85),
        ("postpone", Intent.Reschedule, 0.95), ("delay my", Intent.Reschedule, 0.85), ("change my book", Intent.Reschedule, 0.9),
        ("change the book", Intent.Reschedule, 0.9), ("change my reservation", Intent.Reschedule, 0.9), ("move my book", Intent.Reschedule, 0.9),
        ("change * appointment", Intent.Reschedule, 0.85), ("move * appointment", Intent.Reschedule, 0.85), ("later time", Intent.Reschedule, 0.75), ("earlier time", Intent.Reschedule, 0.75),

        // Cancel
        ("cancel", Intent.Cancel, 0.95), ("cancellation", Intent.Cancel, 0.95), ("call off", Intent.Cancel, 0.9),
        ("call it off", Intent.Cancel, 0.9), ("scratch that", Intent.Cancel, 0.9), ("scratch the", Intent.Cancel, 0.9),
        ("scratch it", Intent.Cancel, 0.9), ("forget it", Intent.Cancel, 0.8), ("forget about it", Intent.Cancel, 0.8),
        ("never mind", Intent.Cancel, 0.75), ("nevermind", Intent.Cancel, 0.75), ("do not need the appointment", Intent.Cancel, 0.9),
        ("not need it anymore", Intent.Cancel, 0.85), ("no longer need", Intent.Cancel, 0.9), ("remove my appointment", Intent.Cancel, 0.9),
        ("drop my appointment", Intent.Cancel, 0.9), ("delete my appointment", Intent.Cancel, 0.9),

        // Hours
        ("hours", Intent.Hours, 0.85), ("opening hours", Intent.Hours, 0.95), ("business hours", Intent.Hours, 0.95),
        ("what time do you open", Intent.Hours, 0.95), ("what time do you close", Intent.Hours, 0.95), ("what time are you open", Intent.Hours, 0.95),
        ("when do you open", Intent.Hours, 0.95), ("when do you close", Intent.Hours, 0.95), ("when are you open", Intent.Hours, 0.95),
        ("are you open", Intent.Hours, 0.9), ("are you closed", Intent.Hours, 0.9),
        ("you open", Intent.Hours, 0.85), ("open on", Intent.Hours, 0.85), ("open today", Intent.Hours, 0.9), ("open tomorrow", Intent.Hours, 0.9),
        ("open late", Intent.Hours, 0.9), ("open early", Intent.Hours, 0.9), ("open until", Intent.Hours, 0.9), ("open till", Intent.Hours, 0.9),
        ("you close", Intent.Hours, 0.9), ("you closing", Intent.Hours, 0.9), ("closing time", Intent.Hours, 0.95), ("close today", Intent.Hours, 0.9),
        ("open on weekends", Intent.Hours, 0.95), ("open saturday", Intent.Hours, 0.9), ("open sunday", Intent.Hours, 0.9),
        ("what time does * open", Intent.Hours, 0.95), ("what time does * close", Intent.Hours, 0.95),
        ("what time do * open", Intent.Hours, 0.95), ("what time do * close", Intent.Hours, 0.95), ("what time is * open", Intent.Hours, 0.95),
        ("what time is * closed", Intent.Hours, 0.95), ("when does * open", Intent.Hours, 0.95), ("when does * close", Intent.Hours, 0.95),
        ("when is * open", Intent.Hours, 0.95), ("what time do you start", Intent.Hours, 0.95), ("when do you start", Intent.Hours, 0.9),
        ("start seeing", Intent.Hours, 0.9), ("stop seeing patients", Intent.Hours, 0.9), ("what time does * start", Intent.Hours, 0.85),

        // Location
        ("where are you", Intent.Location, 0.95), ("where is your", Intent.Location, 0.9), ("where is the office", Intent.Location, 0.95),
        ("where you are", Intent.Location, 0.9), ("located", Intent.Location, 0.9), ("location", Intent.Location, 0.85),
        ("address", Intent.Location, 0.9), ("directions", Intent.Location, 0.9), ("how do i get there", Intent.Location, 0.95),
        ("how do i get to you", Intent.Location, 0.95), ("what street", Intent.Location, 0.9), ("parking nearby", Intent.Location, 0.98),
        ("cross street", Intent.Location, 0.9), ("where * are you", Intent.Location, 0.95), ("where are you * in", Intent.Location, 0.95),
        ("find you", Intent.Location, 0.9), ("find your office", Intent.Location, 0.9), ("find your practice", Intent.Location, 0.9),
        ("find your clinic", Intent.Location, 0.9), ("find your place", Intent.Location, 0.9), ("find the office", Intent.Location, 0.9),
        ("find the practice", Intent.Location, 0.9), ("find the clinic", Intent.Location, 0.9), ("where * office", Intent.Location, 0.9),
        ("where * practice", Intent.Location, 0.9), ("where * clinic", Intent.Location, 0.9), ("where is it", Intent.Location, 0.85),
        ("where * go", Intent.Location, 0.95), ("where * need to go", Intent.Location, 0.95), ("part of town", Intent.Location, 0.95), ("what area", Intent.Location, 0.9),
        ("which area", Intent.Location, 0.9), ("neighborhood", Intent.Location, 0.9), ("neighbourhood", Intent.Location, 0.9),
        ("how do i get to", Intent.Location, 0.9), ("how do i find", Intent.Location, 0.9), ("where * you located", Intent.Location, 0.95),
        ("close to", Intent.Location, 0.7), ("near", Intent.Location, 0.6), ("what city", Intent.Location, 0.85),

        // Services
        ("how much", Intent.Services, 0.9), ("price", Intent.Services, 0.9), ("cost", Intent.Services, 0.9), ("costs", Intent.Services, 0.9),
        ("charge", Intent.Services, 0.85), ("rates", Intent.Services, 0.85), ("quote", Intent.Services, 0.85), ("estimate", Intent.Services, 0.8),
        ("do you do", Intent.Services, 0.85), ("do you offer", Intent.Services, 0.9),
        ("do you provide", Intent.Services, 0.9), ("do you fix", Intent.Services, 0.85), ("do you work on", Intent.Services, 0.85),
        ("do you service", Intent.Services, 0.85), ("services", Intent.Services, 0.85), ("what do you offer", Intent.Services, 0.95),
        ("what do you do", Intent.Services, 0.85), ("what kind of", Intent.Services, 0.7), ("menu", Intent.Services, 0.75),
        ("list of", Intent.Services, 0.7), ("fee", Intent.Services, 0.6), ("is it expensive", Intent.Services, 0.85),
        ("how expensive", Intent.Services, 0.9), ("expensive", Intent.Services, 0.8),

        // Human
        ("real person", Intent.Human, 0.95), ("human", Intent.Human, 0.95), ("live person", Intent.Human, 0.95),
        ("actual person", Intent.Human, 0.95), ("a person", Intent.Human, 0.85), ("representative", Intent.Human, 0.95),
        ("operator", Intent.Human, 0.95), ("agent", Intent.Human, 0.85), ("receptionist", Intent.Human, 0.85),
        ("speak to someone", Intent.Human, 0.95), ("talk to someone", Intent.Human, 0.95), ("speak with someone", Intent.Human, 0.95),
        ("talk with someone", Intent.Human, 0.95), ("speak to the", Intent.Human, 0.85), ("talk to the", Intent.Human, 0.85),
        ("speak to a", Intent.Human, 0.85), ("talk to a", Intent.Human, 0.85), ("speak with the", Intent.Human, 0.85),
        ("manager", Intent.Human, 0.85), ("owner", Intent.Human, 0.8), ("transfer me", Intent.Human, 0.95), ("put me through", Intent.Human, 0.95),
        ("front desk", Intent.Human, 0.85), ("someone real", Intent.Human, 0.95), ("not a robot", Intent.Human, 0.9),
        ("you a robot", Intent.Human, 0.8), ("somebody", Intent.Human, 0.6), ("speak to", Intent.Human, 0.8), ("speak with", Intent.Human, 0.8),
        ("talk to", Intent.Human, 0.75), ("talk with", Intent.Human, 0.75), ("someone * speak to", Intent.Human, 0.95),
        ("someone * talk to", Intent.Human, 0.95), ("speak to doctor", Intent.Human, 0.9), ("talk to doctor", Intent.Human, 0.9),
        ("speak with doctor", Intent.Human, 0.9), ("connect me", Intent.Human, 0.95),

        // Message
        ("leave a message", Intent.Message, 0.95), ("message", Intent.Message, 0.85), ("voicemail", Intent.Message, 0.9),
        ("call me back", Intent.Message, 0.95), ("call back", Intent.Message, 0.9), ("callback", Intent.Message, 0.9),
        ("have her call", Intent.Message, 0.95), ("have him call", Intent.Message, 0.95), ("have them call", Intent.Message, 0.95),
        ("have someone call", Intent.Message, 0.95), ("return my call", Intent.Message, 0.95),
        ("let her know", Intent.Message, 0.85), ("let him know", Intent.Message, 0.85), ("let them know", Intent.Message, 0.85),
        ("tell her", Intent.Message, 0.8), ("tell him", Intent.Message, 0.8), ("pass along", Intent.Message, 0.85),
        ("pass on", Intent.Message, 0.8), ("running late", Intent.Message, 0.7), ("give me a call", Intent.Message, 0.9), ("reach me", Intent.Message, 0.75),
        ("take a message", Intent.Message, 0.97), ("leave a note", Intent.Message, 0.95), ("a note for", Intent.Message, 0.9),
        ("let the * know", Intent.Message, 0.9), ("let doctor", Intent.Message, 0.85), ("know i called", Intent.Message, 0.95), ("that i called", Intent.Message, 0.9),
        ("to call me", Intent.Message, 0.95), ("to phone me", Intent.Message, 0.95), ("to ring me", Intent.Message, 0.95),
        ("someone call me", Intent.Message, 0.95), ("someone phone me", Intent.Message, 0.95), ("someone ring me", Intent.Message, 0.95),
        ("have * call me", Intent.Message, 0.95), ("have * phone me", Intent.Message, 0.95), ("have * ring me", Intent.Message, 0.95),
        ("phone me back", Intent.Message, 0.95), ("ring me back", Intent.Message, 0.95), ("get back to me", Intent.Message, 0.9),

        // Goodbye
        ("bye", Intent.Goodbye, 0.95), ("good bye", Intent.Goodbye, 0.95), ("bye bye", Intent.Goodbye, 0.95),
        ("that is all", Intent.Goodbye, 0.9), ("that is it", Intent.Goodbye, 0.9), ("that was everything", Intent.Goodbye, 0.9),
        ("that is everything", Intent.Goodbye, 0.9), ("that was all", Intent.Goodbye, 0.9), ("nothing else", Intent.Goodbye, 0.9),
        ("all set", Intent.Goodbye, 0.85), ("we are done", Intent.Goodbye, 0.9), ("i am done", Intent.Goodbye, 0.85),
        ("have a good", Intent.Goodbye, 0.9), ("have a great", Intent.Goodbye, 0.9), ("have a nice", Intent.Goodbye, 0.9),
        ("take care", Intent.Goodbye, 0.9), ("see you", Intent.Goodbye, 0.85),
        ("see yeah", Intent.Goodbye, 0.9), // "see ya": "ya" is rewritten to "yeah" by TokenFixes before matching
        ("catch you", Intent.Goodbye, 0.9), ("catch yeah", Intent.Goodbye, 0.9), ("later then", Intent.Goodbye, 0.8),
        ("talk soon", Intent.Goodbye, 0.85), ("gotta go", Intent.Goodbye, 0.85), ("got to go", Intent.Goodbye, 0.85),
        ("talk to you later", Intent.Goodbye, 0.9), ("talk later", Intent.Goodbye, 0.85), ("cya", Intent.Goodbye, 0.9),
        ("i think i am good", Intent.Goodbye, 0.85), ("i am good", Intent.Goodbye, 0.7),
        ("we are good", Intent.Goodbye, 0.7), ("hang up", Intent.Goodbye, 0.85), ("good night", Intent.Goodbye, 0.9),

        // Thanks
        ("thanks", Intent.Thanks, 0.85), ("thank you", Intent.Thanks, 0.85), ("appreciate", Intent.Thanks, 0.8),
        ("cheers", Intent.Thanks, 0.75), ("thank", Intent.Thanks, 0.8), ("grateful", Intent.Thanks, 0.75),

        // Affirm / Deny phrases (leading yes/no words are handled separately)
        ("yes", Intent.Affirm, 0.5), ("yeah", Intent.Affirm, 0.5), ("sounds good", Intent.Affirm, 0.85), ("sounds great", Intent.Affirm, 0.85),
        ("sounds perfect", Intent.Affirm, 0.85), ("sounds fine", Intent.Affirm, 0.85), ("that works", Intent.Affirm, 0.85),
        ("works for me", Intent.Affirm, 0.85), ("that is fine", Intent.Affirm, 0.8), ("that would be great", Intent.Affirm, 0.85),
        ("that will do", Intent.Affirm, 0.8), ("please do", Intent.Affirm, 0.85), ("go ahead", Intent.Affirm, 0.85),
        ("do it", Intent.Affirm, 0.75), ("let us do it", Intent.Affirm, 0.85), ("let us do that", Intent.Affirm, 0.85),
        ("let us go with", Intent.Affirm, 0.85), ("that is right", Intent.Affirm, 0.85), ("that is correct", Intent.Affirm, 0.85),
        ("uh huh", Intent.Affirm, 0.8), ("mhm", Intent.Affirm, 0.8), ("of course", Intent.Affirm, 0.8), ("you bet", Intent.Affirm, 0.8),
        ("confirm", Intent.Affirm, 0.7), ("go for it", Intent.Affirm, 0.85), ("lock it in", Intent.Affirm, 0.85),
        ("sounds like a plan", Intent.Affirm, 0.85), ("that will work", Intent.Affirm, 0.85), ("perfect", Intent.Affirm, 0.6), ("is fine", Intent.Affirm, 0.6), ("please and thank you", Intent.Affirm, 0.9),
        ("no", Intent.Deny, 0.5), ("not really", Intent.Deny, 0.85), ("actually no", Intent.Deny, 0.9), ("no thanks", Intent.Deny, 0.9),
        ("no thank you", Intent.Deny, 0.9), ("not yet", Intent.Deny, 0.8), ("i do not think so", Intent.Deny, 0.85),
        ("that is wrong", Intent.Deny, 0.85), ("that is not right", Intent.Deny, 0.85), ("incorrect", Intent.Deny, 0.8),
        ("no way", Intent.Deny, 0.8), ("that does not work", Intent.Deny, 0.85), ("not that", Intent.Deny, 0.7),
        ("i have not", Intent.Deny, 0.6), ("wrong", Intent.Deny, 0.7),

        // Greeting and generic questions
        ("hi", Intent.Greeting, 0.6), ("hello", Intent.Greeting, 0.6), ("hey", Intent.Greeting, 0.6), ("howdy", Intent.Greeting, 0.6),
        ("hiya", Intent.Greeting, 0.6), ("good morning", Intent.Greeting, 0.6), ("good afternoon", Intent.Greeting, 0.6),
        ("good evening", Intent.Greeting, 0.6), ("greetings", Intent.Greeting, 0.6), ("yo", Intent.Greeting, 0.55),
        ("tell me about", Intent.Question, 0.6), ("tell about", Intent.Question, 0.6), ("do you know", Intent.Question, 0.6),
        ("do you take", Intent.Question, 0.6), ("do you accept", Intent.Question, 0.6), ("insurance", Intent.Question, 0.65),
        ("i have a question", Intent.Question, 0.7), ("quick question", Intent.Question, 0.7), ("wondering", Intent.Question, 0.6),

        // FAQ topics (policies, fees, parking, what to bring, payment, records) are questions for the knowledge base even
        // when they mention "cancel", "appointment", "visit" or "where": weights above those words on purpose.
        ("policy", Intent.Question, 0.98), ("policies", Intent.Question, 0.98), ("parking", Intent.Question, 0.97),
        ("park", Intent.Question, 0.97), ("validate", Intent.Question, 0.97), ("how much notice", Intent.Question, 0.98),
        ("notice to cancel", Intent.Question, 0.98), ("notice do you", Intent.Question, 0.98), ("advance notice", Intent.Question, 0.98),
        ("fee * cancel", Intent.Question, 0.98), ("charge * cancel", Intent.Question, 0.98), ("cost * cancel", Intent.Question, 0.98),
        ("penalty", Intent.Question, 0.98), ("late cancel", Intent.Question, 0.98), ("cancel late", Intent.Question, 0.98),
        ("cancel fee", Intent.Question, 0.98), ("cancellation fee", Intent.Question, 0.98), ("no show", Intent.Question, 0.95),
        ("what happens if", Intent.Question, 0.9), ("what should i bring", Intent.Question, 0.97), ("what do i bring", Intent.Question, 0.97),
        ("what to bring", Intent.Question, 0.97), ("should i bring", Intent.Question, 0.97), ("need to bring", Intent.Question, 0.97),
        ("have to bring", Intent.Question, 0.97), ("bring anything", Intent.Question, 0.97), ("bring with me", Intent.Question, 0.97),
        ("anything to bring", Intent.Question, 0.97), ("payment due", Intent.Question, 0.95), ("is payment", Intent.Question, 0.95),
        ("when is payment", Intent.Question, 0.95), ("when do i pay", Intent.Question, 0.95), ("pay at the", Intent.Question, 0.9),
        ("pay upfront", Intent.Question, 0.9), ("pay up front", Intent.Question, 0.9), ("pay before", Intent.Question, 0.9),
        ("due at", Intent.Question, 0.9), ("copy of", Intent.Question, 0.9), ("my records", Intent.Question, 0.9),
        ("x rays", Intent.Question, 0.75), ("xrays", Intent.Question, 0.75), ("laughing gas", Intent.Question, 0.75),
        ("nitrous", Intent.Question, 0.75), ("sedation", Intent.Question, 0.75),
    ];
}
