using Portal.Domain.LiveChat;

namespace Portal.Web.LiveChat;

/// <summary>Registers the website widget and live chat's web services.</summary>
public static class LiveChatSetup
{
    /// <summary>Adds the hub, its edge (origin, CORS, connection limits), rate limits and the live-event notifier.</summary>
    public static IServiceCollection AddPortalLiveChat(this IServiceCollection services)
    {
        services.AddSignalR().AddHubOptions<WidgetHub>(o => o.MaximumReceiveMessageSize = 16 * 1024);
        services.AddOptions<LiveChatOptions>().BindConfiguration(LiveChatOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WidgetRateLimits>();
        services.AddSingleton<InboxFeed>();
        services.AddSingleton<ILiveChatNotifier, LiveChatNotifier>();
        services.AddTransient<IStartupFilter, WidgetEdge.StartupFilter>();
        return services;
    }
}
