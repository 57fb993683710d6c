// "Call your agent" in the browser: microphone → AudioWorklet (16 kHz PCM16, 20 ms frames) → WebSocket
// /api/v1/browser-call; agent audio (PCM16 binary frames) played with Web Audio; JSON events (started, transcript, mark,
// clear, ended) reported to the Blazor component. Wire protocol: Portal.Voice/Calls/BrowserCallTransport.cs.
// Marks are echoed when the audio sent before them has finished playing; `clear` stops playback at once and echoes the
// pending marks (as Twilio does), so the server counts only what was heard.

const OUTPUT_RATE = 16000;
let current = null;

class BrowserCall {
    constructor(dotnet, path) {
        this.dotnet = dotnet;
        this.path = path || '/api/v1/browser-call';
        this.ws = null;
        this.stream = null;
        this.ctx = null;
        this.node = null;
        this.sources = new Set();
        this.pendingMarks = new Map(); // name → timer id
        this.playHead = 0;
        this.ended = false;
        this.framesSent = 0;
        this.inputPeak = 0;
    }

    notify(method, ...args) {
        return this.dotnet.invokeMethodAsync(method, ...args).catch(() => { /* circuit gone */ });
    }

    async start() {
        this.notify('OnState', 'connecting');
        if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
            this.fail('unsupported', 'This browser cannot use a microphone here (a secure https page is needed).');
            return;
        }
        try {
            this.stream = await navigator.mediaDevices.getUserMedia({
                // No noise suppression or gain control: recognizers do best on the unprocessed voice (measured: with both on, the
                // speech clipped and pocketsphinx heard nothing). Echo cancellation stays, so the agent does not interrupt itself.
                audio: { channelCount: 1, echoCancellation: true, noiseSuppression: false, autoGainControl: false }
            });
        } catch (e) {
            const denied = e && (e.name === 'NotAllowedError' || e.name === 'SecurityError');
            this.fail(denied ? 'denied' : 'nomic', denied
                ? 'Microphone access was denied. Allow the microphone for this site in your browser settings, then try again.'
                : 'No microphone could be opened: ' + (e && e.message ? e.message : e));
            return;
        }

        try {
            this.ctx = new AudioContext();
            await this.ctx.resume();
            await this.ctx.audioWorklet.addModule('/js/browser-call-worklet.js');
            const source = this.ctx.createMediaStreamSource(this.stream);
            this.node = new AudioWorkletNode(this.ctx, 'browser-call-downsampler');
            const mute = this.ctx.createGain();
            mute.gain.value = 0; // keeps the worklet pulled by the graph without echoing the microphone
            source.connect(this.node).connect(mute).connect(this.ctx.destination);
        } catch (e) {
            this.fail('audio', 'The browser could not start audio processing: ' + (e && e.message ? e.message : e));
            return;
        }

        const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
        const ws = new WebSocket(`${scheme}://${location.host}${this.path}`);
        ws.binaryType = 'arraybuffer';
        this.ws = ws;
        ws.onopen = () => {
            this.node.port.onmessage = (e) => {
                if (ws.readyState === WebSocket.OPEN) {
                    ws.send(e.data);
                    this.framesSent++;
                    const pcm = new Int16Array(e.data);
                    let framePeak = 0;
                    for (let i = 0; i < pcm.length; i++) { const a = Math.abs(pcm[i]); if (a > framePeak) framePeak = a; }
                    if (framePeak > this.inputPeak) this.inputPeak = framePeak;
                }
            };
        };
        ws.onmessage = (e) => this.onMessage(e.data);
        ws.onerror = () => { if (!this.ended) { this.fail('network', 'The call could not connect to the server.'); } };
        ws.onclose = () => this.finish('The call ended.');
    }

    onMessage(data) {
        if (data instanceof ArrayBuffer) {
            this.play(data);
            return;
        }
        let msg;
        try { msg = JSON.parse(data); } catch { return; }
        switch (msg.event) {
            case 'started':
                this.notify('OnStarted', msg.conversationId, msg.speechToText || null);
                break;
            case 'transcript':
                this.notify('OnTranscript', msg.role, msg.text, !!msg.final, msg.mark || null);
                break;
            case 'mark':
                this.scheduleMark(msg.name);
                break;
            case 'clear':
                this.clear();
                break;
            case 'ended':
                this.endReason = msg.reason;
                break;
        }
    }

    play(buffer) {
        const pcm = new Int16Array(buffer);
        if (pcm.length === 0) return;
        const audio = this.ctx.createBuffer(1, pcm.length, OUTPUT_RATE);
        const ch = audio.getChannelData(0);
        for (let i = 0; i < pcm.length; i++) ch[i] = pcm[i] / 32768;
        const src = this.ctx.createBufferSource();
        src.buffer = audio;
        src.connect(this.ctx.destination);
        const now = this.ctx.currentTime;
        // A small cushion when playback restarts absorbs network jitter between frames.
        if (this.playHead < now) this.playHead = now + 0.05;
        src.start(this.playHead);
        this.playHead += audio.duration;
        this.sources.add(src);
        src.onended = () => this.sources.delete(src);
    }

    scheduleMark(name) {
        const delayMs = Math.max(0, (this.playHead - this.ctx.currentTime) * 1000);
        const timer = setTimeout(() => this.echoMark(name), delayMs);
        this.pendingMarks.set(name, timer);
    }

    echoMark(name) {
        this.pendingMarks.delete(name);
        if (this.ws && this.ws.readyState === WebSocket.OPEN) {
            this.ws.send(JSON.stringify({ event: 'mark', name }));
        }
    }

    clear() {
        for (const src of this.sources) { try { src.stop(); } catch { /* not started */ } }
        this.sources.clear();
        this.playHead = 0;
        const unheard = [...this.pendingMarks.keys()];
        for (const [name, timer] of this.pendingMarks) { clearTimeout(timer); this.echoMark(name); }
        this.pendingMarks.clear();
        this.notify('OnClear', unheard);
    }

    sendDigit(digit) {
        if (this.ws && this.ws.readyState === WebSocket.OPEN) {
            this.ws.send(JSON.stringify({ event: 'dtmf', digit }));
        }
    }

    hangUp() {
        if (this.ws && this.ws.readyState === WebSocket.OPEN) {
            this.ws.send(JSON.stringify({ event: 'stop' }));
            // The server answers with `ended` and closes; do not wait for it forever.
            setTimeout(() => { if (this.ws && this.ws.readyState !== WebSocket.CLOSED) this.ws.close(1000, 'hang up'); }, 3000);
        } else {
            this.finish('The call ended.');
        }
    }

    fail(kind, message) {
        this.notify('OnError', kind, message);
        this.cleanup();
        this.ended = true;
    }

    finish(reason) {
        if (this.ended) return;
        this.ended = true;
        this.cleanup();
        this.notify('OnEnded', this.endReason || reason);
    }

    cleanup() {
        for (const timer of this.pendingMarks.values()) clearTimeout(timer);
        this.pendingMarks.clear();
        if (this.node) { this.node.port.onmessage = null; }
        if (this.stream) { this.stream.getTracks().forEach(t => t.stop()); }
        if (this.ctx && this.ctx.state !== 'closed') { this.ctx.close().catch(() => { }); }
        if (this.ws && this.ws.readyState === WebSocket.OPEN) { this.ws.close(1000, 'hang up'); }
        if (current === this) current = null;
    }
}

/**
 * Starts a call; reports to `dotnet` (a DotNetObjectReference to the BrowserCall component, or any object with an
 * `invokeMethodAsync(name, ...args)` returning a promise, as the landing page's demo call passes). `path` is the call's
 * WebSocket route on this host (default /api/v1/browser-call; the demo call uses /demo/call).
 */
export async function start(dotnet, path) {
    if (current) current.hangUp();
    current = new BrowserCall(dotnet, path);
    await current.start();
}

/** Hangs up the current call, if any. */
export function hangUp() {
    if (current) current.hangUp();
}

/** Sends a keypad digit (0-9, *, #) on the current call. */
export function sendDigit(digit) {
    if (current) current.sendDigit(digit);
}

/** Diagnostics of the current call: 20 ms frames sent, the loudest microphone sample (0-32767), marks still playing. */
export function stats() {
    return current ? { framesSent: current.framesSent, inputPeak: current.inputPeak, pendingMarks: current.pendingMarks.size, contextRate: current.ctx ? current.ctx.sampleRate : 0 } : null;
}

/** Releases the microphone and the socket without waiting (the page is going away). */
export function dispose() {
    if (current) { current.finish('The page was closed.'); }
}
