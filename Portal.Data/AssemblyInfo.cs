// Portal.Data: PortalDbContext, entities, their configurations, migrations and the save interceptors.
[assembly: System.CLSCompliant(false)]
