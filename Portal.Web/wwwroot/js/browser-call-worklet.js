// AudioWorklet for the browser test call: downsamples the microphone (context rate, usually 48 kHz) to 16 kHz mono
// PCM16 little-endian and posts one 20 ms frame (320 samples = 640 bytes) at a time to the main thread, which sends it
// over the /api/v1/browser-call WebSocket. Averaging over each output sample's input span is the anti-alias filter.
class BrowserCallDownsampler extends AudioWorkletProcessor {
    constructor() {
        super();
        this.ratio = sampleRate / 16000; // input samples per output sample
        this.acc = 0;
        this.count = 0;
        this.pos = 0;
        this.frame = new Int16Array(320);
        this.filled = 0;
    }

    process(inputs) {
        const input = inputs[0];
        if (!input || input.length === 0) return true;
        const ch = input[0];
        for (let i = 0; i < ch.length; i++) {
            this.acc += ch[i];
            this.count++;
            this.pos += 1;
            if (this.pos >= this.ratio) {
                this.pos -= this.ratio;
                const s = Math.max(-1, Math.min(1, this.acc / this.count));
                this.frame[this.filled++] = s < 0 ? s * 0x8000 : s * 0x7fff;
                this.acc = 0;
                this.count = 0;
                if (this.filled === this.frame.length) {
                    this.port.postMessage(this.frame.buffer, [this.frame.buffer]);
                    this.frame = new Int16Array(320);
                    this.filled = 0;
                }
            }
        }
        return true;
    }
}

registerProcessor('browser-call-downsampler', BrowserCallDownsampler);
