/*
 * Portal website chat widget. Embed with:
 *   <script src="https://<portal>/widget.js" data-agent="wgt_..." async></script>
 * Renders in a Shadow DOM, talks to /widget/hub with SignalR's JSON hub protocol
 * (https://github.com/dotnet/aspnetcore/blob/main/src/SignalR/docs/specs/HubProtocol.md) over a WebSocket,
 * falling back to SignalR's long-polling transport
 * (https://github.com/dotnet/aspnetcore/blob/main/src/SignalR/docs/specs/TransportProtocols.md).
 * Every text is set with textContent, never parsed as HTML.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__portalWidget) return;
  window.__portalWidget = true;
  var key = script.getAttribute("data-agent") || "";
  var base = new URL(script.src, location.href);
  var hubUrl = base.origin + "/widget/hub?agent=" + encodeURIComponent(key);
  var storeKey = "portal-widget:" + key;
  var RS = "\u001e";

  /* ---------- transport: JSON hub protocol over WebSocket, long polling as fallback ---------- */
  function Connection(onEvent, onClose) {
    var self = this, nextId = 1, pending = {}, sendRaw = null, closed = false, pingTimer = null;
    function frame(o) { return JSON.stringify(o) + RS; }
    function handle(text) {
      text.split(RS).forEach(function (part) {
        if (!part) return;
        var m;
        try { m = JSON.parse(part); } catch (e) { return; }
        if (m.type === undefined) { return; } // handshake response {}
        if (m.type === 1) { onEvent(m.target, m.arguments || []); }
        else if (m.type === 3) {
          var p = pending[m.invocationId]; delete pending[m.invocationId];
          if (p) { if (m.error) p.reject(new Error(m.error)); else p.resolve(m.result); }
        } else if (m.type === 7) { finish(m.error); }
      });
    }
    function finish(err) {
      if (closed) return;
      closed = true; clearInterval(pingTimer);
      Object.keys(pending).forEach(function (k) { pending[k].reject(new Error("Connection lost.")); });
      pending = {};
      onClose(err);
    }
    self.invoke = function (target, args) {
      return new Promise(function (resolve, reject) {
        if (closed || !sendRaw) { reject(new Error("Not connected.")); return; }
        var id = String(nextId++);
        pending[id] = { resolve: resolve, reject: reject };
        sendRaw(frame({ type: 1, invocationId: id, target: target, arguments: args }));
      });
    };
    self.close = function () { finish(); };
    function startPings() { pingTimer = setInterval(function () { if (sendRaw) sendRaw(frame({ type: 6 })); }, 15000); }

    function viaWebSocket() {
      return new Promise(function (resolve, reject) {
        var ws, opened = false;
        try { ws = new WebSocket(hubUrl.replace(/^http/, "ws")); } catch (e) { reject(e); return; }
        ws.onopen = function () { ws.send(frame({ protocol: "json", version: 1 })); };
        ws.onmessage = function (e) {
          if (!opened) { opened = true; sendRaw = function (t) { ws.send(t); }; self.close = function () { ws.close(); finish(); }; startPings(); resolve(); }
          handle(e.data);
        };
        ws.onerror = function () { if (!opened) reject(new Error("WebSocket failed")); };
        ws.onclose = function () { if (!opened) reject(new Error("WebSocket closed")); else finish(); };
      });
    }

    function viaLongPolling() {
      return fetch(base.origin + "/widget/hub/negotiate?agent=" + encodeURIComponent(key) + "&negotiateVersion=1", { method: "POST" })
        .then(function (r) { if (!r.ok) throw new Error("negotiate " + r.status); return r.json(); })
        .then(function (n) {
          var url = hubUrl + "&id=" + encodeURIComponent(n.connectionToken || n.connectionId);
          var queue = Promise.resolve();
          sendRaw = function (t) {
            queue = queue.then(function () { return fetch(url, { method: "POST", body: t, headers: { "Content-Type": "text/plain" } }); })
              .catch(function () { finish(); });
          };
          self.close = function () { fetch(url, { method: "DELETE" }).catch(function () {}); finish(); };
          (function poll() {
            if (closed) return;
            fetch(url, { cache: "no-store" }).then(function (r) {
              if (r.status === 204 || !r.ok) { finish(); return; }
              return r.text().then(function (t) { if (t) handle(t); poll(); });
            }).catch(function () { finish(); });
          })();
          sendRaw(frame({ protocol: "json", version: 1 }));
          startPings();
        });
    }

    self.start = function () {
      return ("WebSocket" in window ? viaWebSocket() : Promise.reject(new Error("no WebSocket")))
        .catch(function () { closed = false; return viaLongPolling(); });
    };
  }

  /* ---------- user interface ---------- */
  var css =
    ":host{all:initial}*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}" +
    ".bubble{position:fixed;right:20px;bottom:20px;width:60px;height:60px;border-radius:50%;border:0;cursor:pointer;color:#fff;" +
    "box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center;z-index:2147483646}" +
    ".bubble:focus-visible,button:focus-visible,textarea:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}" +
    ".panel{position:fixed;right:20px;bottom:92px;width:370px;max-width:calc(100vw - 24px);height:540px;max-height:calc(100vh - 110px);" +
    "background:#fff;color:#1f2328;border-radius:14px;box-shadow:0 10px 30px rgba(0,0,0,.3);display:flex;flex-direction:column;overflow:hidden;z-index:2147483647}" +
    ".panel[hidden]{display:none}" +
    "header{color:#fff;padding:12px 14px;display:flex;align-items:center;gap:10px}" +
    "header h2{font-size:16px;margin:0;flex:1;font-weight:600}header p{margin:0;font-size:12px;opacity:.9}" +
    ".x{background:transparent;border:0;color:#fff;font-size:22px;cursor:pointer;line-height:1;padding:4px 8px;border-radius:6px}" +
    ".log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f6f8fa}" +
    ".msg{max-width:82%;padding:8px 11px;border-radius:12px;font-size:14px;line-height:1.4;white-space:pre-wrap;word-wrap:break-word}" +
    ".msg b{display:block;font-size:11px;font-weight:600;opacity:.75;margin-bottom:2px}" +
    ".agent,.staff{align-self:flex-start;background:#fff;border:1px solid #d0d7de}.staff{border-color:#8250df}" +
    ".customer{align-self:flex-end;color:#fff}.note{align-self:center;font-size:12px;color:#57606a;text-align:center}" +
    ".typing{font-size:12px;color:#57606a;padding:0 14px 4px;min-height:18px}" +
    "form{display:flex;gap:8px;padding:10px;border-top:1px solid #d0d7de;background:#fff}" +
    "textarea{flex:1;resize:none;border:1px solid #8c959f;border-radius:8px;padding:8px;font-size:14px;height:42px}" +
    ".send{border:0;color:#fff;border-radius:8px;padding:0 14px;font-size:14px;cursor:pointer}" +
    ".person{margin:0 10px 8px;background:transparent;border:1px solid #8c959f;border-radius:8px;padding:6px;font-size:13px;cursor:pointer;color:#1f2328}" +
    ".err{color:#cf222e;font-size:12px;padding:0 12px}" +
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}" +
    "@media (max-width:480px){.panel{right:0;bottom:0;width:100vw;max-width:100vw;height:100%;max-height:100%;border-radius:0}}";

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  var host = el("div");
  host.setAttribute("data-portal-widget", "");
  var root = host.attachShadow({ mode: "open" });
  var style = el("style"); style.textContent = css; root.appendChild(style);

  var bubble = el("button", "bubble");
  bubble.type = "button";
  bubble.setAttribute("aria-expanded", "false");
  bubble.setAttribute("aria-controls", "portal-chat-panel");
  var icon = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  icon.setAttribute("viewBox", "0 0 24 24"); icon.setAttribute("width", "28"); icon.setAttribute("height", "28"); icon.setAttribute("aria-hidden", "true");
  var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("fill", "currentColor");
  path.setAttribute("d", "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z");
  icon.appendChild(path); bubble.appendChild(icon);

  var panel = el("div", "panel");
  panel.id = "portal-chat-panel";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  var header = el("header");
  var titles = el("div"); titles.style.flex = "1";
  var title = el("h2"); var sub = el("p", null, "Usually replies at once");
  titles.appendChild(title); titles.appendChild(sub);
  var close = el("button", "x", "\u00d7"); close.type = "button"; close.setAttribute("aria-label", "Close chat");
  header.appendChild(titles); header.appendChild(close);
  var log = el("div", "log");
  log.setAttribute("role", "log"); log.setAttribute("aria-live", "polite"); log.setAttribute("aria-relevant", "additions text");
  var typing = el("div", "typing"); typing.setAttribute("aria-live", "polite");
  var error = el("div", "err"); error.setAttribute("role", "alert");
  var person = el("button", "person", "Talk to a person"); person.type = "button";
  var form = el("form");
  var label = el("label", "sr", "Your message"); label.htmlFor = "portal-chat-input";
  var input = el("textarea"); input.id = "portal-chat-input"; input.maxLength = 1000; input.placeholder = "Type your message\u2026";
  var send = el("button", "send", "Send"); send.type = "submit";
  form.appendChild(label); form.appendChild(input); form.appendChild(send);
  [header, log, typing, error, person, form].forEach(function (n) { panel.appendChild(n); });
  root.appendChild(bubble); root.appendChild(panel);

  var colour = "#1565c0", agentName = "Assistant", streaming = null, conn = null, retry = 0;

  function paint() {
    bubble.style.background = colour; header.style.background = colour; send.style.background = colour;
    title.textContent = agentName;
    bubble.setAttribute("aria-label", "Chat with " + agentName);
    panel.setAttribute("aria-label", "Chat with " + agentName);
    Array.prototype.forEach.call(log.querySelectorAll(".customer"), function (n) { n.style.background = colour; });
  }
  function scroll() { log.scrollTop = log.scrollHeight; }
  function line(speaker, name, text) {
    var cls = speaker === "customer" ? "customer" : speaker === "staff" ? "staff" : speaker === "note" ? "note" : "agent";
    var m = el("div", "msg " + cls);
    if (cls === "customer") m.style.background = colour;
    if (cls === "agent" || cls === "staff") m.appendChild(el("b", null, name));
    var body = el("span", null, text); m.appendChild(body);
    log.appendChild(m); scroll();
    return body;
  }
  function setOpen(open) {
    panel.hidden = !open;
    bubble.setAttribute("aria-expanded", String(open));
    if (open) { input.focus(); scroll(); } else { bubble.focus(); }
  }
  bubble.addEventListener("click", function () { setOpen(panel.hidden); });
  // The host page may offer its own "chat with us" buttons: any element with data-portal-chat-open opens the panel.
  document.addEventListener("click", function (e) {
    var t = e.target && e.target.closest ? e.target.closest("[data-portal-chat-open]") : null;
    if (t) { e.preventDefault(); setOpen(true); }
  });
  close.addEventListener("click", function () { setOpen(false); });
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") setOpen(false); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit ? form.requestSubmit() : submit(e); }
  });

  function submit(e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text || !conn) return;
    error.textContent = "";
    line("customer", "You", text);
    input.value = "";
    streaming = null;
    conn.invoke("Send", [text]).catch(function (err) { error.textContent = friendly(err); });
  }
  form.addEventListener("submit", submit);
  person.addEventListener("click", function () {
    if (!conn) return;
    line("customer", "You", "I'd like to talk to a person.");
    conn.invoke("TalkToPerson", []).then(function (say) { line("agent", agentName, say); })
      .catch(function (err) { error.textContent = friendly(err); });
  });
  function friendly(err) {
    var m = String(err && err.message || err);
    var i = m.indexOf("HubException: ");
    return i >= 0 ? m.slice(i + 14) : "Sorry, something went wrong. Please try again.";
  }

  function onEvent(target, args) {
    if (target === "typing") { typing.textContent = args[0] ? agentName + " is typing\u2026" : ""; }
    else if (target === "delta") { if (!streaming) streaming = line("agent", agentName, ""); streaming.textContent += args[0]; scroll(); }
    else if (target === "restart") { if (streaming) streaming.textContent = ""; }
    else if (target === "reply") { if (!streaming) streaming = line("agent", agentName, ""); streaming.textContent = args[0]; streaming = null; }
    else if (target === "message") {
      var p = args[0] || {};
      if (p.kind === "takenOver") { line("note", "", p.text); sub.textContent = p.name + " from the team is here"; }
      else if (p.kind === "handedBack") { line("note", "", p.text); sub.textContent = "Usually replies at once"; }
      else if (p.kind === "staff") line("staff", p.name + " (team)", p.text);
      else line("agent", agentName, p.text);
    }
  }

  function connect() {
    var c = new Connection(onEvent, function () {
      conn = null;
      if (!host.isConnected) return;
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 1000 * retry * retry);
    });
    c.start().then(function () {
      var token = null;
      try { token = localStorage.getItem(storeKey); } catch (e) { /* storage blocked: a new chat each load */ }
      return c.invoke("Start", [token]);
    }).then(function (s) {
      try { localStorage.setItem(storeKey, s.token); } catch (e) { /* ignore */ }
      conn = c; retry = 0;
      colour = /^#[0-9a-f]{6}$/i.test(s.colour) ? s.colour : colour;
      agentName = s.agentName;
      log.textContent = "";
      (s.lines || []).forEach(function (l) { line(l.speaker, l.speaker === "staff" ? l.name + " (team)" : l.name, l.text); });
      if (s.takenOverBy) sub.textContent = s.takenOverBy + " from the team is here";
      paint();
      if (!host.isConnected) document.body.appendChild(host);
    }).catch(function () {
      // Not allowed on this website (403), unknown key (404) or the service is down: no widget.
      c.close();
    });
  }
  if (document.body) connect(); else document.addEventListener("DOMContentLoaded", connect);
})();
