using System.Collections.Frozen;

namespace Portal.Domain.Conversations.Understanding;

/// <summary>
/// Word lists that keep <see cref="NameExtractor"/> from returning ordinary words as names ("I'm looking", "this is urgent").
/// </summary>
internal static class NameLexicon
{
    /// <summary>
    /// Words that are never a name, even after "my name is": function words, yes/no, greetings, time words, numbers.
    /// </summary>
    public static readonly FrozenSet<string> NeverNames = new[]
    {
        "a", "an", "the", "and", "or", "but", "so", "if", "then", "than", "of", "for", "to", "in", "on", "at", "by", "with",
        "from", "about", "as", "into", "is", "am", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that",
        "these", "those", "there", "here", "i", "me", "my", "mine", "you", "your", "we", "our", "us", "they", "them", "their",
        "he", "him", "his", "she", "her", "not", "no", "yes", "yeah", "yep", "yup", "nope", "nah", "ok", "okay", "sure",
        "please", "thanks", "thank", "hi", "hello", "hey", "bye", "goodbye", "um", "uh", "umm", "er", "oh", "ah", "well",
        "what", "when", "where", "who", "why", "how", "which", "do", "does", "did", "can", "could", "will", "would", "should",
        "may", "might", "must", "have", "has", "had", "just", "also", "too", "very", "really", "today", "tomorrow", "tonight",
        "yesterday", "now", "later", "soon", "asap", "morning", "afternoon", "evening", "night", "week", "month", "monday",
        "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "june",
        "july", "august", "september", "october", "november", "december", "one", "two", "three", "four", "five", "six",
        "seven", "eight", "nine", "ten", "eleven", "twelve", "first", "last", "next", "name", "calling", "speaking", "here",
        "again", "actually", "still", "correct", "right", "wrong", "fine", "good", "great", "perfect", "cool", "alright",
        "appointment", "booking", "reservation", "cleaning", "haircut", "doctor", "dr", "mr", "mrs", "ms", "miss", "sir",
        "madam", "maam", "mister", "none", "nobody", "someone", "somebody", "anyone", "everyone", "nothing", "something",
        "anything", "all", "any", "some", "every", "each", "both", "either", "neither", "own", "same", "other", "another",
        "wait", "hold", "sorry", "excuse", "pardon", "hmm", "mm", "huh", "what's", "name's", "dont", "cant", "oops", "wow", "yikes", "gosh", "geez", "ugh", "aww", "yay",
        "noon", "noonish", "midday", "midnight", "christmas", "easter", "thanksgiving", "halloween", "holiday", "weekend",
        "lol", "haha", "omg", "hallo", "hiya", "howdy", "heya", "greetings", "hola", "bonjour", "ciao", "aloha", "cheers", "shoot", "crap", "damn", "darn", "whoops", "welp", "meh", "nah", "yo",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Ordinary words that follow "I'm", "this is", "it's" and are not names ("I'm looking", "this is urgent", "it's for").
    /// Used on top of <see cref="NeverNames"/> for the weaker triggers and for bare answers.
    /// </summary>
    public static readonly FrozenSet<string> CommonWords = new[]
    {
        "looking", "calling", "trying", "going", "wondering", "hoping", "thinking", "interested", "new", "old", "back",
        "sick", "ill", "tired", "busy", "free", "available", "late", "early", "sure", "afraid", "glad", "happy", "sad",
        "excited", "worried", "scared", "confused", "done", "finished", "ready", "here", "there", "home", "out", "away",
        "urgent", "important", "serious", "bad", "worse", "better", "best", "okay", "fine", "good", "great", "awesome",
        "nice", "lovely", "wonderful", "terrible", "horrible", "awful", "possible", "impossible", "correct", "true", "false",
        "booked", "married", "single", "pregnant", "allergic", "new", "existing", "returning", "regular", "patient",
        "customer", "client", "member", "owner", "tenant", "student", "mom", "dad", "mother", "father", "wife", "husband",
        "son", "daughter", "kid", "kids", "child", "children", "baby", "family", "friend", "boyfriend", "girlfriend", "for",
        "about", "like", "just", "only", "also", "still", "already", "almost", "probably", "maybe", "definitely", "totally",
        "kind", "sort", "supposed", "able", "unable", "unsure", "positive", "certain", "hungry", "in", "pain", "hurting",
        "bleeding", "feeling", "having", "getting", "doing", "coming", "leaving", "running", "driving", "working", "living",
        "staying", "moving", "paying", "asking", "checking", "following", "responding", "returning", "in", "outside",
        "downstairs", "upstairs", "nearby", "close", "far", "near", "next", "first", "second", "third", "last", "only",
        "everything", "fair", "enough", "it", "weird", "strange", "funny", "crazy", "ridiculous", "wrong", "right", "cheap",
        "expensive", "open", "closed", "broken", "working", "leaking", "stuck", "flat", "dead", "cold", "hot", "warm",
        "quick", "fast", "slow", "simple", "easy", "hard", "difficult", "emergency", "urgently", "fine", "alright", "well",
        "honestly", "seriously", "literally", "basically", "totally", "pretty", "quite", "rather", "super", "so", "too",
        "regarding", "concerning", "following", "hoping", "planning", "needing", "wanting", "gonna", "wanna", "gotta",
        "cleaning", "whitening", "filling", "consultation", "haircut", "color", "manicure", "pedicure", "repair",
        "maintenance", "service", "furnace", "ac", "car", "truck", "dentist", "doctor", "salon", "apartment", "table",
        "people", "person", "guy", "lady", "man", "woman", "folks", "everyone", "anybody", "interesting", "perfect", "cool",
        "confirmed", "set", "all", "that", "what", "me", "him", "her", "them", "us", "says", "said", "called", "named",
        "yes", "no", "please", "thanks", "sorry", "hello", "hi", "hey", "bye", "nothing", "great", "awesome", "fine",
        "dinner", "lunch", "breakfast", "brunch", "party", "wedding", "date", "meeting", "work", "school", "time",
        "need", "needs", "want", "wants", "wanted", "think", "thought", "know", "guess", "hope", "got", "get", "make",
        "book", "schedule", "see", "come", "go", "call", "gone", "been", "having", "trouble", "calling", "looking",
        "not", "never", "always", "sometimes", "usually", "currently", "gonna", "definitely", "back", "down", "up", "off",
        "after", "over", "under", "keen", "due", "overdue", "desperate", "eager", "local", "nearby", "downtown", "uptown",
        "midtown", "across", "around", "calling", "outside", "based", "located",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Places that are not first names (US states, cities, boroughs, parts of town): a one-word answer naming one is the
    /// place ("Portland"), never the caller's name.
    /// </summary>
    public static readonly FrozenSet<string> Places = new[]
    {
        "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware", "florida", "hawaii",
        "idaho", "illinois", "iowa", "kansas", "kentucky", "louisiana", "maine", "maryland", "massachusetts", "michigan",
        "minnesota", "mississippi", "missouri", "nebraska", "nevada", "ohio", "oklahoma", "oregon", "pennsylvania",
        "tennessee", "texas", "utah", "vermont", "wisconsin", "wyoming", "portland", "seattle", "chicago", "boston", "tacoma",
        "hoboken", "oakland", "sacramento", "atlanta", "miami", "detroit", "baltimore", "philadelphia", "philly", "pittsburgh",
        "cincinnati", "columbus", "milwaukee", "minneapolis", "omaha", "tulsa", "albuquerque", "tucson", "fresno", "spokane",
        "boise", "reno", "vegas", "anchorage", "honolulu", "nashville", "memphis", "louisville", "richmond", "newark", "trenton",
        "buffalo", "rochester", "syracuse", "albany", "hartford", "providence", "beaverton", "gresham", "hillsboro", "renton",
        "bellevue", "redmond", "kirkland", "bothell", "olympia", "vancouver", "toronto", "montreal", "calgary", "edmonton",
        "ottawa", "winnipeg", "manhattan", "queens", "bronx", "harlem", "yonkers", "stamford", "cambridge", "somerville",
        "brookline", "worcester", "springfield", "evanston", "naperville", "plano", "arlington", "fremont", "pasadena",
        "glendale", "burbank", "anaheim", "irvine", "riverside", "stockton", "modesto", "bakersfield", "scottsdale", "tempe",
        "mesa", "boulder", "chattanooga", "knoxville", "lexington", "durham", "greensboro", "charleston", "tampa",
        "jacksonville", "tallahassee", "gainesville", "pensacola", "sarasota", "birmingham", "shreveport", "topeka", "wichita",
        "fargo", "billings", "cheyenne", "provo", "ogden", "yakima", "downtown", "uptown", "midtown", "northside", "southside",
        "eastside", "westside", "suburbs", "nyc", "jersey", "brooklyn", "staten", "long", "san", "los", "las", "santa",
        "fort", "saint", "st", "mount", "lake", "port", "new", "north", "south", "east", "west",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Places that are also first names ("Austin", "Charlotte", "Madison"): a name when the agent asked for one, the place
    /// when the caller volunteers the word alone.
    /// </summary>
    public static readonly FrozenSet<string> PlaceNames = new[]
    {
        "austin", "charlotte", "madison", "dallas", "denver", "houston", "phoenix", "savannah", "georgia", "jordan",
        "florence", "victoria", "sydney", "paris", "chelsea", "aurora", "raleigh", "orlando", "tyler", "troy", "eugene",
        "helena", "lincoln", "cleveland", "jackson", "virginia", "carolina", "dakota", "montana", "washington", "indiana",
        "london", "dublin", "berlin", "vienna", "israel", "india", "kenya", "regina", "augusta", "columbia", "marietta",
        "alexandria", "lafayette", "salem", "camden", "dayton", "logan", "kent",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// First names that are also ordinary words ("will", "may", "hope"): accepted only when capitalized in mixed-case text
    /// and either the agent asked for the name or the word ends the sentence ("I'm Will.", not "I'm will be late").
    /// </summary>
    public static readonly FrozenSet<string> AmbiguousNames = new[]
    {
        "will", "may", "june", "april", "august", "hope", "guy", "faith", "joy", "grace", "rich", "pat", "bill", "rose",
        "drew", "dawn", "summer", "sunny", "patience", "chase", "art", "mark", "sue", "angel", "christian", "frank",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>First names and surnames spelled like adverbs or gerunds ("Emily", "Holly", "Kimberly", "Sterling"): exempt from the -ly/-ing rule.</summary>
    public static readonly FrozenSet<string> FirstNamesLikeWords = new[]
    {
        "emily", "holly", "kelly", "molly", "shelly", "shelley", "beverly", "billy", "sally", "polly", "dolly", "carly", "kimberly",
        "shirley", "stanley", "bradley", "wesley", "riley", "hadley", "finley", "oakley", "bentley", "kingsley", "lily", "lilly",
        "ally", "natally", "everly", "hartley", "beasley", "langley", "ashby", "sterling", "manning", "fleming", "golding", "harding",
        "channing", "downing", "pickering", "browning", "cummings", "jennings", "hastings", "billings", "stebbing", "kipling", "keeling",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Titles skipped before a name ("I'm Dr. Patel" gives "Patel").</summary>
    public static readonly FrozenSet<string> Titles = new[] { "dr", "doctor", "mr", "mrs", "ms", "miss", "mister", "prof" }
        .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Lower-case particles allowed inside a multi-word name ("Maria de la Cruz", "Ludwig van Beethoven").</summary>
    public static readonly FrozenSet<string> Particles = new[] { "de", "la", "del", "van", "von", "da", "di", "le", "bin", "al", "st" }
        .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Words skipped at the start of a bare answer to "what's your name?" ("Sure, John Smith").</summary>
    public static readonly FrozenSet<string> LeadingFillers = new[]
    {
        "sure", "yes", "yeah", "yep", "ok", "okay", "um", "uh", "umm", "er", "oh", "ah", "well", "so", "hi", "hello", "hey",
        "alright", "right", "of", "course", "certainly", "absolutely", "hmm", "its", "yea", "ya", "sorry", "oops", "apologies",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Words that may trail a bare name answer ("Maria Lopez, thanks").</summary>
    public static readonly FrozenSet<string> TrailingFillers = new[]
    {
        "thanks", "thank", "you", "please", "here", "speaking", "calling", "thx", "ty", "again",
    }.ToFrozenSet(StringComparer.Ordinal);
}
