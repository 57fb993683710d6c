// Portal.Domain: entities, PortalDbContext, tenancy, the conversation engine, booking and billing math.
[assembly: System.CLSCompliant(false)]
