// The landing page's "call the demo agent" in the browser: wires a button to the browser-call module (the same code as
// an owner's "Call your agent") against /demo/call, and shows the state and the live transcript as plain text.
// Markup: a button [data-demo-call], a status element [data-demo-status] and a list [data-demo-transcript].
import * as call from './browser-call.js';

const button = document.querySelector('[data-demo-call]');
const status = document.querySelector('[data-demo-status]');
const transcript = document.querySelector('[data-demo-transcript]');
let live = false;

function say(text) { if (status) status.textContent = text; }

function setLive(on) {
    live = on;
    button.textContent = on ? 'Hang up' : 'Call the demo agent in your browser';
    button.setAttribute('aria-pressed', String(on));
}

const agentLines = new Map(); // mark → list item, so a sentence's interim and final text share one line

// The module reports as it would to a Blazor component: invokeMethodAsync(name, ...args).
const sink = {
    invokeMethodAsync(name, ...args) {
        switch (name) {
            case 'OnState': say(args[0] === 'connecting' ? 'Connecting… allow the microphone when your browser asks.' : ''); break;
            case 'OnStarted': say('Connected. Say hello, ask about opening hours, or book a check-up.'); setLive(true); break;
            case 'OnTranscript': {
                const [role, text, final, mark] = args;
                if (!transcript || (role === 'caller' && !final)) break;
                let item = role === 'agent' && mark ? agentLines.get(mark) : null;
                if (!item) {
                    item = document.createElement('li');
                    item.className = role;
                    transcript.appendChild(item);
                    if (role === 'agent' && mark) agentLines.set(mark, item);
                }
                item.textContent = (role === 'agent' ? 'Agent: ' : 'You: ') + text;
                transcript.scrollTop = transcript.scrollHeight;
                break;
            }
            case 'OnError': say(args[1] || 'The call could not start.'); setLive(false); break;
            case 'OnEnded': say(args[0] || 'The call ended.'); setLive(false); break;
            default: break;
        }
        return Promise.resolve();
    }
};

if (button) {
    button.hidden = false;
    button.addEventListener('click', () => {
        if (live) { call.hangUp(); return; }
        if (transcript) transcript.textContent = '';
        agentLines.clear();
        call.start(sink, '/demo/call');
    });
    window.addEventListener('pagehide', () => call.dispose());
}
