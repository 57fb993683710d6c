using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;

namespace Portal.Web.Tests.Infrastructure;

/// <summary>Finding MudBlazor inputs by the <c>data-testid</c> the pages put on them.</summary>
public static class MarkupExtensions
{
    /// <summary>The input or textarea carrying <paramref name="testId"/> or inside the element that does.</summary>
    public static IElement Input<T>(this IRenderedComponent<T> cut, string testId)
        where T : IComponent =>
        cut.FindAll($"input[data-testid={testId}], textarea[data-testid={testId}], [data-testid={testId}] input, [data-testid={testId}] textarea")[0];

    /// <summary>
    /// Clicks the <paramref name="index"/>th match of <paramref name="selector"/>. A page that renders again on its own
    /// (a background load, a streamed reply) can replace the button between finding and clicking, in which case the
    /// click is not delivered; the button is then found again and clicked, until the click lands.
    /// </summary>
    public static void ClickSettled<T>(this IRenderedComponent<T> cut, string selector, int index = 0)
        where T : IComponent =>
        cut.WaitForAssertion(() =>
        {
            try
            {
                cut.FindAll(selector)[index].Click();
            }
            catch (Bunit.Rendering.UnknownEventHandlerIdException ex)
            {
                Assert.Fail("The button was rendered again before the click: " + ex.Message);
            }
        });
}
