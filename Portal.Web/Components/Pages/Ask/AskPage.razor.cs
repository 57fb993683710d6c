using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Portal.Domain.Brain.Ask;
using Portal.Web.Components.Shared;

namespace Portal.Web.Components.Pages.Ask;

/// <summary>"Ask your data": a question in plain words answered with a sentence, a chart, a table and the plan in words (<see cref="AskService"/>).</summary>
public sealed partial class AskPage
{
    private static readonly string[] Examples =
    [
        "How many calls did we miss last week?",
        "Bookings by service this month",
        "Which hour gets the most calls?",
        "Callers who asked about prices but didn't book",
        "Average sentiment on Mondays",
        "Revenue booked in November vs October",
        "Who called more than twice?",
    ];

    private readonly Config _config = new() { Responsive = true, DisplayLogo = false };
    private readonly Plotly.Blazor.Layout _layout = new() { Height = 300, Margin = new Plotly.Blazor.LayoutLib.Margin { L = 50, R = 10, T = 10, B = 60 } };
    private IList<ITrace> _data = [];
    private string? _question;
    private string? _validation;
    private string? _error;
    private bool _busy;
    private int _version;
    private AskAnswer? _answer;

    [Inject] private PageErrors Errors { get; set; } = default!;

    [Inject] private AskService Ask { get; set; } = default!;

    private Task AskExampleAsync(string example)
    {
        _question = example;
        return AskAsync();
    }

    private async Task AskAsync()
    {
        _validation = string.IsNullOrWhiteSpace(_question) ? "Type a question first." : _question.Length > 300 ? "Keep the question under 300 characters." : null;
        if (_validation is not null)
        {
            return;
        }

        _busy = true;
        _error = null;
        try
        {
            _error = await Errors.TryAsync(AnswerAsync, "That question could not be answered right now. Please try again.");
            if (_error is not null)
            {
                _answer = null;
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task AnswerAsync()
    {
        _answer = await Ask.AskAsync(_question!, CancellationToken.None);
        _data = _answer.Chart switch
        {
            "line" => [new Scatter { X = _answer.Rows.Select(r => (object)r.Label).ToList(), Y = _answer.Rows.Select(r => (object)r.Value).ToList(), Name = _answer.ValueLabel }],
            "bar" => [new Bar { X = _answer.Rows.Select(r => (object)r.Label).ToList(), Y = _answer.Rows.Select(r => (object)r.Value).ToList(), Name = _answer.ValueLabel }],
            _ => [],
        };
        _version++;
    }
}
