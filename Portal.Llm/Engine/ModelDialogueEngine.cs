using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Channel = Portal.Data.Entities.Channel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Portal.Data.Entities;
using Portal.Domain.Conversations;
using Portal.Llm.Prompting;
using Portal.Llm.Tools;

namespace Portal.Llm.Engine;

/// <summary>Everything one model turn is configured with (deployment settings merged with the persona's overrides).</summary>
/// <param name="EndpointKey">Circuit breaker identity (provider and base URL).</param>
/// <param name="Model">Model id.</param>
/// <param name="Temperature">Sampling temperature.</param>
/// <param name="MaxOutputTokens">Maximum output tokens per request.</param>
/// <param name="Persona">Persona fields of the prompt.</param>
/// <param name="Price">Price of the model, or null.</param>
/// <param name="Options">Timeouts and caps.</param>
public sealed record ModelTurnSettings(string EndpointKey, string Model, float Temperature, int MaxOutputTokens, PersonaPrompt Persona, ModelPrice? Price, LlmOptions Options);

/// <summary>
/// The language-model engine: composes the prompt, streams the model's reply token by token,
/// runs the tool calls it asks for (<see cref="ReceptionistTools"/>: Portal decides) and loops
/// until the model answers in text, within the tool-call cap, the reply-length cap, the
/// time-to-first-token and total timeouts, and the provider's circuit breaker
/// (<see cref="LlmResilience"/>). Any failure becomes a <see cref="ModelUnavailableException"/>, on
/// which the conversation service lets the offline engine answer from the same state.
/// </summary>
internal sealed class ModelDialogueEngine(
    IChatClient client,
    ResiliencePipeline pipeline,
    ModelTurnSettings settings,
    ReceptionistTools tools,
    IReadOnlyList<ChatMessage> history,
    ILogger logger) : IDialogueEngine
{
    /// <inheritdoc />
    public async IAsyncEnumerable<DialogueStreamItem> StreamAsync(DialogueContext context, DialogueState state, string utterance, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var session = new ToolSession(context, state);
        var deltas = System.Threading.Channels.Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true, AllowSynchronousContinuations = true });
        var run = RunAsync(session, utterance, deltas.Writer, cancellationToken);
        await foreach (var delta in deltas.Reader.ReadAllAsync(CancellationToken.None))
        {
            yield return new DialogueStreamItem(delta, null, null);
        }

        var (text, usage) = await run;
        session.FinishTurn();
        yield return new DialogueStreamItem(null, new DialogueReply(text, session.Intent, session.Actions, session.Outcome), usage);
    }

    private async Task<(string Text, TurnUsage Usage)> RunAsync(ToolSession session, string utterance, ChannelWriter<string> writer, CancellationToken ct)
    {
        var o = settings.Options;
        var cap = session.Context.Channel == Channel.Voice ? o.MaxReplyChars / 2 : o.MaxReplyChars;
        var reply = new StringBuilder();
        var streamed = false;
        var leaked = false;
        var capped = false;
        long inputTokens = 0, outputTokens = 0;
        using var total = CancellationTokenSource.CreateLinkedTokenSource(ct);
        total.CancelAfter(o.TotalTimeoutMs);
        try
        {
            var messages = new List<ChatMessage>(history.Count + 4)
            {
                new(ChatRole.System, PromptComposer.Compose(session.Context.Profile, settings.Persona, session.Context.Channel, session.Context.NowLocal, session.State)),
            };
            messages.AddRange(history);
            messages.Add(new ChatMessage(ChatRole.User, utterance));
            var chatOptions = new ChatOptions
            {
                ModelId = settings.Model,
                Temperature = settings.Temperature,
                MaxOutputTokens = settings.MaxOutputTokens,
                Tools = [.. tools.For(session)],
                ToolMode = ChatToolMode.Auto,
            };
            var functions = chatOptions.Tools.OfType<AIFunction>().ToDictionary(f => f.Name, StringComparer.Ordinal);

            while (true)
            {
                var updates = new List<ChatResponseUpdate>();
                var resilienceContext = ResilienceContextPool.Shared.Get(total.Token);
                try
                {
                    await pipeline.ExecuteAsync(async rc =>
                    {
                        updates.Clear();
                        using var firstToken = CancellationTokenSource.CreateLinkedTokenSource(rc.CancellationToken);
                        firstToken.CancelAfter(o.TimeToFirstTokenMs);
                        var gotFirst = false;
                        try
                        {
                            await foreach (var update in client.GetStreamingResponseAsync(messages, chatOptions, firstToken.Token))
                            {
                                if (!gotFirst)
                                {
                                    gotFirst = true;
                                    firstToken.CancelAfter(Timeout.InfiniteTimeSpan);
                                }

                                updates.Add(update);
                                var piece = update.Text;
                                if (piece.Length == 0 || leaked || capped)
                                {
                                    continue;
                                }

                                if (PromptComposer.LeaksRules(reply + piece))
                                {
                                    leaked = true;
                                    continue;
                                }

                                (piece, capped) = CapPiece(reply.Length, reply.Length == 0 ? '\0' : reply[^1], piece, cap);
                                if (piece.Length == 0)
                                {
                                    continue;
                                }

                                reply.Append(piece);
                                streamed = true;
                                rc.Properties.Set(LlmResilience.Streamed, true);
                                await writer.WriteAsync(piece, CancellationToken.None);
                            }
                        }
                        catch (OperationCanceledException) when (!gotFirst && firstToken.IsCancellationRequested && !rc.CancellationToken.IsCancellationRequested)
                        {
                            throw new TimeToFirstTokenException(o.TimeToFirstTokenMs);
                        }
                    }, resilienceContext);
                }
                finally
                {
                    ResilienceContextPool.Shared.Return(resilienceContext);
                }

                var response = updates.ToChatResponse();
                inputTokens += response.Usage?.InputTokenCount ?? 0;
                outputTokens += response.Usage?.OutputTokenCount ?? 0;
                messages.AddRange(response.Messages);
                var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
                if (calls.Count == 0)
                {
                    break;
                }

                foreach (var call in calls)
                {
                    if (++session.ToolCalls > o.MaxToolCallsPerTurn)
                    {
                        throw new ModelUnavailableException($"more than {o.MaxToolCallsPerTurn} tool calls in one turn", session.Actions, session.Outcome, streamed);
                    }

                    var result = functions.TryGetValue(call.Name, out var function)
                        ? await function.InvokeAsync(new AIFunctionArguments(call.Arguments ?? new Dictionary<string, object?>()), total.Token)
                        : $$"""{"status":"refused","reason":"There is no tool named {{call.Name}}."}""";
                    messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, result)]));
                }
            }
        }
        catch (ModelUnavailableException)
        {
            throw;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            var reason = Describe(ex, o);
            logger.LogWarning("Language model {Model} on {Endpoint} failed: {Reason}", settings.Model, settings.EndpointKey, reason);
            throw new ModelUnavailableException(reason, session.Actions, session.Outcome, streamed, ex);
        }
        finally
        {
            writer.TryComplete();
        }

        var text = reply.ToString().Trim();
        if (leaked)
        {
            text = $"I'm sorry, I can't share that. Is there anything I can help you with at {session.Context.Profile.Name}?";
        }
        else if (text.Length == 0)
        {
            throw new ModelUnavailableException("the model returned no text", session.Actions, session.Outcome, streamed);
        }

        var cost = settings.Price is { } price
            ? (long?)Math.Round(inputTokens * price.InputPerMillionUsd + outputTokens * price.OutputPerMillionUsd, MidpointRounding.AwayFromZero)
            : null;
        return (text, new TurnUsage(settings.Model, (int)inputTokens, (int)outputTokens, cost));
    }

    /// <summary>A short, secret-free reason (never the exception message, which may quote request data).</summary>
    private static string Describe(Exception ex, LlmOptions o) => ex switch
    {
        BrokenCircuitException => "circuit open",
        TimeToFirstTokenException t => $"no first token within {t.Milliseconds} ms",
        OperationCanceledException => $"turn took longer than {o.TotalTimeoutMs} ms",
        HttpRequestException { StatusCode: { } status } => $"HTTP {(int)status}",
        System.ClientModel.ClientResultException { Status: > 0 } c => $"HTTP {c.Status}",
        _ when StatusOf(ex) is { } status => $"HTTP {(int)status}",
        _ => ex.GetType().Name,
    };

    private static HttpStatusCode? StatusOf(Exception ex) =>
        ex.GetType().GetProperty("StatusCode")?.GetValue(ex) is HttpStatusCode status ? status : null;

    private static readonly char[] SentenceEnds = ['.', '?', '!'];

    /// <summary>
    /// The part of a streamed <paramref name="piece"/> that fits the reply-length cap (<see cref="LlmOptions.MaxReplyChars"/>,
    /// characters), and whether the reply is now full. Past four fifths of the cap the reply ends at the first sentence end
    /// (., ? or ! followed by a space, and not the period of an abbreviation, so "$9.50" and "Dr. Lee" are not ends; see
    /// <see cref="Domain.Conversations.Abbreviations"/>), so a long answer stops after a whole sentence; a
    /// piece that reaches the cap itself is cut back to its last space (or at the cap when it has none). Pieces already
    /// streamed are never taken back.
    /// </summary>
    /// <param name="written">Characters of the reply so far.</param>
    /// <param name="last">The reply's last character ('\0' when empty): a sentence end there counts when the piece starts with a space.</param>
    /// <param name="piece">The next streamed text.</param>
    /// <param name="cap">The cap, characters.</param>
    internal static (string Piece, bool Full) CapPiece(int written, char last, string piece, int cap)
    {
        var soft = cap * 4 / 5;
        if (written >= soft && Array.IndexOf(SentenceEnds, last) >= 0 && piece.Length > 0 && char.IsWhiteSpace(piece[0]))
        {
            return ("", true);
        }

        if (written + piece.Length >= soft)
        {
            for (var i = Math.Max(0, soft - written); i + 1 < piece.Length && written + i + 1 <= cap; i++)
            {
                if (Array.IndexOf(SentenceEnds, piece[i]) >= 0 && char.IsWhiteSpace(piece[i + 1]) && !(piece[i] == '.' && Abbreviated(piece, i)))
                {
                    return (piece[..(i + 1)], true);
                }
            }
        }

        if (written + piece.Length <= cap)
        {
            return (piece, written + piece.Length == cap);
        }

        var cut = piece[..Math.Max(0, cap - written)];
        var space = cut.LastIndexOf(' ');
        return (space > 0 ? cut[..space] : cut, true);

        // The word before the period at `period` (within this piece) is an abbreviation ("Dr.", "St.", an initial).
        static bool Abbreviated(string text, int period)
        {
            var start = period;
            while (start > 0 && !char.IsWhiteSpace(text[start - 1]))
            {
                start--;
            }

            return Domain.Conversations.Abbreviations.IsAbbreviation(text[start..period]);
        }
    }
}
