// Small helpers used by the portal pages.
window.portal = {
    scrollToBottom: (el) => { if (el) { el.scrollTop = el.scrollHeight; } },
    playAudio: (url) => { const a = new Audio(url); return a.play(); },
    copyText: (text) => navigator.clipboard.writeText(text)
};
