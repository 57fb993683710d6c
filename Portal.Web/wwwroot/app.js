// Small helpers used by the portal pages.
window.portal = {
    scrollToBottom: (el) => { if (el) { el.scrollTop = el.scrollHeight; } },
    copyText: (text) => navigator.clipboard.writeText(text),
    // Fetches the audio first so a failed request reports the server's reason (ProblemDetails "detail"), not the
    // browser's "no supported source was found"; resolves when playback ends.
    playAudio: async (url) => {
        const response = await fetch(url, { credentials: 'same-origin' });
        if (!response.ok) {
            let detail = `HTTP ${response.status}`;
            try { const problem = await response.json(); detail = problem.detail || problem.title || detail; } catch { /* not JSON */ }
            throw new Error(detail);
        }
        const src = URL.createObjectURL(await response.blob());
        const audio = new Audio(src);
        try {
            await audio.play();
            await new Promise((resolve) => {
                audio.onended = resolve;
                audio.onerror = resolve;
                // Never wait forever for an "ended" a browser without an audio device may not fire.
                setTimeout(resolve, ((Number.isFinite(audio.duration) ? audio.duration : 30) + 2) * 1000);
            });
        } finally {
            URL.revokeObjectURL(src);
        }
    },
    // The Inbox's new-message sound: a short two-note chime made with the Web Audio API (no audio file), unless the
    // staff member muted it (kept in this browser's localStorage). Browsers start audio only after a click on the page,
    // so a chime before any click is silently skipped.
    inboxSound: {
        key: 'portal.inbox.muted',
        context: null,
        isMuted() { try { return localStorage.getItem(this.key) === '1'; } catch { return false; } },
        setMuted(muted) { try { localStorage.setItem(this.key, muted ? '1' : '0'); } catch { /* storage disabled */ } return this.isMuted(); },
        play() {
            if (this.isMuted()) { return false; }
            const Context = window.AudioContext || window.webkitAudioContext;
            if (!Context) { return false; }
            this.context = this.context || new Context();
            const ctx = this.context;
            if (ctx.state === 'suspended') { ctx.resume().catch(() => { }); }
            const start = ctx.currentTime;
            [[880, 0], [1320, 0.12]].forEach(([frequency, offset]) => {
                const tone = ctx.createOscillator();
                const gain = ctx.createGain();
                tone.type = 'sine';
                tone.frequency.value = frequency;
                gain.gain.setValueAtTime(0.0001, start + offset);
                gain.gain.exponentialRampToValueAtTime(0.2, start + offset + 0.02);
                gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.25);
                tone.connect(gain).connect(ctx.destination);
                tone.start(start + offset);
                tone.stop(start + offset + 0.3);
            });
            return true;
        }
    }
};
