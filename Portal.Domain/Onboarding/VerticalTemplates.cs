using Portal.Data.Entities;

namespace Portal.Domain.Onboarding;

/// <summary>A service in a template: name, minutes, price in cents, synonyms callers use.</summary>
/// <param name="Name">Service name.</param>
/// <param name="DurationMinutes">Length, minutes.</param>
/// <param name="PriceCents">Price in cents, or null when quoted case by case.</param>
/// <param name="Keywords">Comma-separated synonyms.</param>
public sealed record TemplateService(string Name, int DurationMinutes, long? PriceCents, string Keywords);

/// <summary>Weekly hours in a template.</summary>
/// <param name="Day">Weekday.</param>
/// <param name="Opens">Opening time.</param>
/// <param name="Closes">Closing time.</param>
public sealed record TemplateHours(DayOfWeek Day, TimeOnly Opens, TimeOnly Closes);

/// <summary>What an industry pre-fills in onboarding step 1.</summary>
/// <param name="Industry">Industry.</param>
/// <param name="Greeting">Greeting with <c>{businessName}</c> and <c>{agentName}</c> placeholders.</param>
/// <param name="Services">Services.</param>
/// <param name="Hours">Weekly hours.</param>
/// <param name="Faqs">Question/answer pairs.</param>
public sealed record VerticalTemplate(Industry Industry, string Greeting, IReadOnlyList<TemplateService> Services, IReadOnlyList<TemplateHours> Hours, IReadOnlyList<(string Question, string Answer)> Faqs);

/// <summary>The vertical templates. Services and greetings are the ones the product was designed with for each industry; prices, hours and FAQs are typical values an owner edits.</summary>
public static class VerticalTemplates
{
    private static readonly TimeOnly Eight = new(8, 0), Nine = new(9, 0), Ten = new(10, 0), One = new(13, 0), Two = new(14, 0), Five = new(17, 0), Six = new(18, 0), Seven = new(19, 0);

    private static IReadOnlyList<TemplateHours> Weekdays(TimeOnly opens, TimeOnly closes, TemplateHours? saturday = null)
    {
        var list = new List<TemplateHours>();
        for (var d = DayOfWeek.Monday; d <= DayOfWeek.Friday; d++)
        {
            list.Add(new TemplateHours(d, opens, closes));
        }

        if (saturday is not null)
        {
            list.Add(saturday);
        }

        return list;
    }

    /// <summary>The template for an industry (Other gets a neutral one).</summary>
    public static VerticalTemplate For(Industry industry) => industry switch
    {
        Industry.Dental => new(industry,
            "Thank you for calling {businessName}, this is {agentName}. I can help schedule your appointment or answer questions. How can I help?",
            [
                new("Cleaning", 60, 12000, "teeth cleaning, dental cleaning, hygiene, checkup, check-up, exam, cleaning and exam"),
                new("Consultation", 30, 7500, "consult, new patient visit, first visit, evaluation"),
                new("Emergency", 90, 18000, "toothache, broken tooth, tooth pain, dental emergency, chipped tooth, urgent"),
                new("Whitening", 60, 35000, "teeth whitening, bleaching, whiten"),
            ],
            Weekdays(Eight, Five, new TemplateHours(DayOfWeek.Saturday, Nine, One)),
            [
                ("Do you accept insurance?", "We accept most major PPO dental insurance plans, including Delta Dental, Cigna, Aetna and MetLife. Please bring your insurance card to your visit."),
                ("Do you see children?", "Yes, we see patients of all ages, including children from their first tooth."),
                ("What should I bring to my first visit?", "Please bring a photo ID, your insurance card and a list of any medications you take. Arrive 10 minutes early to fill in a short form."),
                ("What is your cancellation policy?", "Please give us at least 24 hours notice if you need to cancel or reschedule, so we can offer the time to another patient."),
                ("Is there parking?", "Yes, there is free parking right in front of the building."),
            ]),
        Industry.Salon => new(industry,
            "Thanks for calling {businessName}! This is {agentName}. I'd be happy to book your appointment.",
            [
                new("Haircut", 45, 5500, "cut, trim, hair cut, mens cut, womens cut"),
                new("Color", 120, 12000, "colour, dye, hair color, root touch up, roots"),
                new("Highlights", 150, 16000, "balayage, foils, lowlights"),
                new("Manicure", 45, 3500, "nails, mani, gel nails"),
                new("Pedicure", 60, 4500, "pedi, toes, foot"),
            ],
            Weekdays(Ten, Seven, new TemplateHours(DayOfWeek.Saturday, Nine, Five)),
            [
                ("Do you take walk-ins?", "We welcome walk-ins when a stylist is free, but booking ahead guarantees your time."),
                ("What products do you use?", "We use professional salon products, and your stylist is happy to recommend what suits your hair."),
                ("What is your cancellation policy?", "Please let us know at least 24 hours ahead if you need to cancel or move your appointment."),
            ]),
        Industry.Hvac => new(industry,
            "Thanks for calling {businessName}. I'm {agentName}, their virtual assistant. How can I help you today?",
            [
                new("AC Repair", 90, 12900, "air conditioner, ac, a/c, cooling, not cooling, air conditioning, central air"),
                new("Heating Repair", 90, 12900, "furnace, heater, heat, no heat, boiler, heat pump"),
                new("Maintenance", 60, 8900, "tune up, tune-up, service, inspection, check up, filter"),
                new("Emergency Service", 120, 24900, "emergency, urgent, leak, no heat at night, burst"),
            ],
            Weekdays(Eight, Six, new TemplateHours(DayOfWeek.Saturday, Nine, Two)),
            [
                ("Do you offer emergency service?", "Yes, we offer emergency service for no heat or no cooling. Tell me what's happening and I'll book the earliest visit."),
                ("What areas do you serve?", "We serve the city and the surrounding county, within about 30 miles of our shop."),
                ("Is there a service call fee?", "Our diagnostic visit is included in the repair price if you go ahead with the repair."),
            ]),
        Industry.AutoRepair => new(industry,
            "Thank you for calling {businessName}. This is {agentName}. How can we help with your vehicle today?",
            [
                new("Oil Change", 30, 4900, "oil, lube, oil and filter, synthetic oil"),
                new("Brake Service", 90, 18900, "brakes, brake pads, squeaking brakes, rotors, grinding"),
                new("General Inspection", 60, 8900, "inspection, check engine light, diagnostic, diagnosis, state inspection"),
                new("Tire Service", 45, 3900, "tires, tyres, rotation, flat tire, alignment, balance"),
            ],
            Weekdays(Eight, Six, new TemplateHours(DayOfWeek.Saturday, Eight, One)),
            [
                ("Do you offer loaner cars?", "We can arrange a loaner car for longer repairs if you ask when booking."),
                ("Do you work on all makes?", "Yes, we service all makes and models, domestic and imported."),
                ("Do you have a warranty?", "Our repairs carry a 12 month, 12,000 mile parts and labor warranty."),
            ]),
        Industry.Medical => new(industry,
            "Thank you for calling {businessName}, this is {agentName}. If this is a medical emergency, please hang up and dial 911. How can I help?",
            [
                new("Consultation", 30, 15000, "appointment, visit, see the doctor, checkup, new patient"),
                new("Follow-up", 20, 9000, "follow up, follow-up visit, results"),
                new("Physical Exam", 45, 20000, "physical, annual exam, yearly checkup, wellness visit"),
            ],
            Weekdays(Eight, Five),
            [
                ("Do you accept insurance?", "We accept most major insurance plans. Please bring your insurance card and a photo ID."),
                ("How do I get my test results?", "Test results are shared through the patient portal, usually within three business days."),
            ]),
        Industry.Legal => new(industry,
            "Thank you for calling {businessName}. This is {agentName}. How may I help you?",
            [
                new("Initial Consultation", 60, 15000, "consultation, consult, meeting, first meeting, case review"),
                new("Follow-up Meeting", 30, 10000, "follow up, follow-up, update"),
            ],
            Weekdays(Nine, Five),
            [
                ("What areas of law do you practice?", "Our attorneys practice family law, estate planning and small business law."),
                ("Is the first consultation free?", "The initial consultation is a flat fee, which is credited toward your case if you retain us."),
            ]),
        Industry.RealEstate => new(industry,
            "Thanks for calling {businessName}, this is {agentName}. Are you looking to buy, sell or rent?",
            [
                new("Property Viewing", 30, null, "viewing, showing, tour, see the house, see the apartment, open house"),
                new("Home Valuation", 60, null, "valuation, appraisal, what is my home worth, listing appointment"),
                new("Buyer Consultation", 45, null, "buyer meeting, consultation, buying a home"),
            ],
            Weekdays(Nine, Six, new TemplateHours(DayOfWeek.Saturday, Ten, Two)),
            [
                ("Do you help first-time buyers?", "Yes, we work with many first-time buyers and can connect you with trusted lenders."),
            ]),
        _ => new(industry,
            "Thanks for contacting {businessName}, this is {agentName}. How can I help you today?",
            [new("Appointment", 30, null, "meeting, visit, consultation")],
            Weekdays(Nine, Five),
            []),
    };
}
