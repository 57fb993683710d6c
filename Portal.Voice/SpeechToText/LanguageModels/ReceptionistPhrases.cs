namespace Portal.Voice.SpeechToText.LanguageModels;

/// <summary>
/// What callers say to a receptionist, as sentence templates with slots, for <see cref="ReceptionistCorpus"/>. Slots:
/// <c>{service}</c>, <c>{day}</c>, <c>{time}</c>, <c>{part}</c> (of the day), <c>{person}</c>, <c>{business}</c>,
/// <c>{first}</c>, <c>{last}</c>, <c>{digits}</c>. Written as people speak (contractions, fillers), covering every intent
/// of the offline engine: booking, rescheduling, cancelling, hours, location, prices, a person, messages, names,
/// numbers, yes/no, thanks and goodbye.
/// </summary>
internal static class ReceptionistPhrases
{
    public static readonly string[] Templates =
    [
        // Booking
        "hi i'd like to book a {service} {day} at {time}", "hello i'd like to book a {service} for {day}", "i'd like to book a {service}",
        "i'd like to make an appointment", "i'd like to make an appointment for {day}", "i'd like to schedule a {service} {day} {part}",
        "i want to book an appointment for a {service}", "can i book a {service} {day}", "can i get a {service} {day} at {time}",
        "could i get an appointment {day} {part}", "i need a {service}", "i need to book a {service} {day} around {time}",
        "i need an appointment with {person}", "i'd like to see {person} {day}", "can i come in {day} at {time}",
        "do you have anything {day} {part}", "do you have any openings {day}", "is there anything available {day} at {time}",
        "what do you have {day}", "is {time} {day} available", "i'm calling to book a {service}", "yeah i'm looking to get a {service}",
        "hi this is {first} i'd like to schedule a {service}", "good morning i'd like an appointment {day} please",
        "i was hoping to get in {day} {part}", "can you fit me in {day}", "i'd like to come in for a {service} at {time} {day}",
        "book me for {time} {day}", "{day} at {time} please", "{day} {part} would be great", "how about {day} at {time}",
        "{time} works for me", "anytime {day} {part}", "the earliest you have", "as soon as possible please", "the first available appointment",
        "i need a {service} and a {service}", "i'd like to book a {service} with {person}", "can i schedule {day} {part} at {time}",
        "i'd like to bring my {service} in {day}", "next week sometime {part}", "sometime next week", "{day} or {day} is fine",
        "not {day} but {day} works", "i'm free {day} after {time}", "before {time} if you can",
        // Rescheduling and cancelling
        "i need to reschedule my appointment", "i need to reschedule my {service} to {day}", "can i move my appointment to {day} at {time}",
        "i can't make it {day}", "i can't make my appointment {day} can we change it", "something came up can we do {day} instead",
        "can i push my appointment back to {time}", "i'd like to change the time of my appointment", "can we move it to {day} {part}",
        "i need to cancel my appointment", "i need to cancel my {service} on {day}", "please cancel my appointment for {day}",
        "i want to cancel", "cancel it please", "i'd like to cancel my appointment with {person}",
        // Hours
        "what are your hours", "what are your hours {day}", "are you open {day}", "are you open on {day}", "what time do you open {day}",
        "what time do you close {day}", "when do you close", "when are you open", "how late are you open {day}", "are you open on weekends",
        "are you open right now", "what time does {business} open",
        // Location
        "where are you located", "what's your address", "how do i get there", "where is your office", "is there parking",
        "where do i park", "what's the address of {business}", "where exactly are you",
        // Prices and services
        "how much is a {service}", "how much does a {service} cost", "what's the price of a {service}", "do you do {service}",
        "do you offer {service}", "what services do you offer", "what do you charge for a {service}", "how long does a {service} take",
        "is a {service} expensive", "do you take insurance", "do you accept my insurance", "what insurance do you take",
        "do you take credit cards", "i have a question about a {service}",
        // A person, messages
        "can i speak to a person", "can i talk to someone", "i'd like to speak to {person}", "can i talk to {person} please",
        "transfer me to the front desk", "i want to speak to a real person", "can i speak with the manager", "is {person} in {day}",
        "can i leave a message", "i'd like to leave a message for {person}", "please have {person} call me back",
        "can someone call me back", "tell {person} i called", "my number is {digits}", "you can reach me at {digits}",
        "call me back at {digits}", "it's {digits}", "{digits}", "my phone number is {digits}",
        // Names
        "my name is {first} {last}", "my name is {first}", "it's {first} {last}", "this is {first} {last}", "{first} {last}",
        "{first}", "the name is {last}", "it's for my son {first}", "under {first} {last}", "{last} {first} {last}",
        // Yes, no, thanks, goodbye
        "yes", "yes please", "yeah", "yeah that works", "yep", "sure", "that's fine", "that's right", "that's correct", "sounds good",
        "perfect", "okay", "okay great", "yes that's right", "that works for me", "great thank you", "go ahead", "absolutely",
        "no", "no thanks", "no thank you", "nope", "not really", "no that's wrong", "no that doesn't work", "actually no",
        "thank you", "thanks", "thank you so much", "thanks bye", "that's all", "that's all thanks", "that's it", "bye",
        "goodbye", "have a good day", "have a nice day", "thank you have a good one", "no that's everything",
        // Greetings and fillers
        "hi", "hello", "hey", "hi there", "good morning", "good afternoon", "hello is this {business}", "hi is this {business}",
        "um", "uh", "hmm", "sorry what", "can you repeat that", "i didn't catch that", "what was that", "hold on a second",
    ];

    public static readonly string[] Days =
    [
        "today", "tomorrow", "this afternoon", "this morning", "tonight", "monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday", "on monday", "on tuesday", "on wednesday", "on thursday", "on friday", "on saturday",
        "next monday", "next tuesday", "next wednesday", "next thursday", "next friday", "this friday", "this saturday",
        "next week", "the day after tomorrow", "tomorrow morning", "tomorrow afternoon", "the first", "the second", "the third",
        "the fifth", "the tenth", "the fifteenth", "the twentieth", "the twenty first", "the thirtieth", "june third",
        "march twelfth", "january second", "october twenty second", "december first", "july fourth", "the weekend",
    ];

    public static readonly string[] Times =
    [
        "ten", "nine", "eleven", "noon", "one", "two", "three", "four", "five", "six", "seven", "eight", "twelve",
        "ten in the morning", "nine in the morning", "eight in the morning", "eleven in the morning", "two in the afternoon",
        "three in the afternoon", "four in the afternoon", "one in the afternoon", "five in the evening", "six in the evening",
        "ten a m", "nine a m", "eleven a m", "two p m", "three p m", "four p m", "one p m", "ten thirty", "nine thirty",
        "eleven thirty", "two thirty", "three thirty", "four fifteen", "one forty five", "ten o'clock", "nine o'clock",
        "two o'clock", "quarter past ten", "half past two", "quarter to four", "midday", "lunchtime", "twelve thirty",
    ];

    public static readonly string[] PartsOfDay = ["in the morning", "in the afternoon", "in the evening", "morning", "afternoon", "after work", "first thing", "around lunch"];

    public static readonly string[] GenericPeople = ["the doctor", "the manager", "the owner", "someone", "the front desk", "a technician"];

    public static readonly string[] FirstNames =
    [
        "james", "mary", "john", "patricia", "robert", "jennifer", "michael", "linda", "william", "elizabeth", "david", "barbara",
        "richard", "susan", "joseph", "jessica", "thomas", "sarah", "charles", "karen", "christopher", "lisa", "daniel", "nancy",
        "matthew", "betty", "anthony", "sandra", "mark", "margaret", "steven", "ashley", "paul", "emily", "andrew", "donna",
        "joshua", "michelle", "kevin", "carol", "brian", "amanda", "george", "melissa", "emma", "olivia", "sophia", "maria",
        "jose", "luis", "carlos", "ana", "wei", "li", "priya", "raj", "mohammed", "fatima", "kim", "anna", "peter", "tom", "sam", "alex",
    ];

    public static readonly string[] LastNames =
    [
        "smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez", "martinez", "hernandez",
        "lopez", "gonzalez", "wilson", "anderson", "thomas", "taylor", "moore", "jackson", "martin", "lee", "perez", "thompson",
        "white", "harris", "sanchez", "clark", "ramirez", "lewis", "robinson", "walker", "young", "allen", "king", "wright",
        "scott", "nguyen", "hill", "green", "adams", "baker", "nelson", "carter", "mitchell", "patel", "chen", "kim", "wang",
    ];

    public static readonly string[] Digits = ["zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
}
