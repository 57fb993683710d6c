// AudioWorklet for the browser test call: downsamples the microphone (the context's rate, usually 44.1 or 48 kHz) to
// 16 kHz mono PCM16 little-endian and posts one 20 ms frame (320 samples = 640 bytes) at a time to the main thread,
// which sends it over the /api/v1/browser-call WebSocket.
// Anti-aliasing: a 63-tap Blackman-windowed sinc low-pass at 7 kHz (below the 8 kHz Nyquist of the output; stopband
// about −74 dB, Oppenheim & Schafer, Discrete-Time Signal Processing, §7.5), then the filtered signal is read at the
// output instants by linear interpolation (the ratio 44100/16000 is not an integer).
const OUT_RATE = 16000;
const CUTOFF_HZ = 7000;
const TAPS = 63;

class BrowserCallDownsampler extends AudioWorkletProcessor {
    constructor() {
        super();
        this.step = sampleRate / OUT_RATE; // input samples per output sample
        this.taps = new Float32Array(TAPS);
        const fc = CUTOFF_HZ / sampleRate;
        const mid = (TAPS - 1) / 2;
        let sum = 0;
        for (let i = 0; i < TAPS; i++) {
            const n = i - mid;
            const sinc = n === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * n) / (Math.PI * n);
            const w = 0.42 - 0.5 * Math.cos(2 * Math.PI * i / (TAPS - 1)) + 0.08 * Math.cos(4 * Math.PI * i / (TAPS - 1));
            this.taps[i] = sinc * w;
            sum += this.taps[i];
        }
        for (let i = 0; i < TAPS; i++) this.taps[i] /= sum; // unity gain at DC
        this.history = new Float32Array(TAPS); // ring of the last TAPS input samples
        this.head = 0;
        this.index = -1;      // index of the newest filtered input sample
        this.previous = 0;    // filtered sample at index - 1
        this.next = 0;        // position of the next output sample, in input samples
        this.frame = new Int16Array(320);
        this.filled = 0;
    }

    process(inputs) {
        const input = inputs[0];
        if (!input || input.length === 0) return true;
        const ch = input[0];
        for (let i = 0; i < ch.length; i++) {
            this.history[this.head] = ch[i];
            this.head = (this.head + 1) % TAPS;
            let y = 0;
            for (let k = 0, j = this.head; k < TAPS; k++, j = (j + 1) % TAPS) y += this.taps[k] * this.history[j];
            this.index++;
            while (this.next <= this.index) {
                const frac = this.next - (this.index - 1);
                const s = Math.max(-1, Math.min(1, this.previous + (y - this.previous) * frac));
                this.frame[this.filled++] = s < 0 ? s * 0x8000 : s * 0x7fff;
                this.next += this.step;
                if (this.filled === this.frame.length) {
                    this.port.postMessage(this.frame.buffer, [this.frame.buffer]);
                    this.frame = new Int16Array(320);
                    this.filled = 0;
                }
            }
            this.previous = y;
        }
        return true;
    }
}

registerProcessor('browser-call-downsampler', BrowserCallDownsampler);
