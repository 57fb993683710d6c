// Portal.Domain: tenancy services, the conversation engine, booking and billing math, seeding; the data layer is Portal.Data.
[assembly: System.CLSCompliant(false)]
