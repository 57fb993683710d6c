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
    }
};
