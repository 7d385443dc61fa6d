// The OKR Coach page: a chat with the coach and a dashboard, talking only to its own server's
// /web/api/. No framework and no outside files: it must work offline on `make run`.
// Everything shown comes in through textContent, never as HTML, so nothing a person typed can
// become markup.
"use strict";

(function () {
  const api = {
    messages: "/web/api/messages",
    okrs: "/web/api/okrs",
    history: "/web/api/history",
    digest: "/web/api/digest",
    schedules: "/web/api/schedules",
  };
  // New messages arrive by long polling: the server holds each request until there is
  // something after the last id we have (or WAIT_SECONDS pass, then an empty list), so an
  // answer shows as soon as it is logged and an idle page asks about twice a minute.
  const WAIT_SECONDS = 25;      // the server holds a request at most 30 s
  const RETRY_FIRST_MS = 1000;  // after a failure: 1 s, 2 s, 4 s ... at most RETRY_MAX_MS
  const RETRY_MAX_MS = 30000;
  const BOARD_REFRESH_MS = 30000;

  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("composer-text");
  const notice = document.getElementById("notice");

  let lastId = 0;
  let listening = false;  // one long poll at a time
  let retryMs = 0;
  let loadedOnce = false;
  let boardTimer = 0;

  // ---- small helpers -------------------------------------------------------------------------

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      // Through the CSSOM: the page's Content-Security-Policy forbids inline style attributes.
      else if (name === "style") Object.assign(node.style, value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attributes) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
    return node;
  }

  function percent(fraction) {
    return Math.round(Math.max(0, Math.min(1, fraction || 0)) * 100);
  }

  function showNotice(text) {
    notice.textContent = text;
    notice.hidden = !text;
  }

  function newClientId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function getJson(url) {
    const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
    if (response.status === 401) {
      showNotice("Please sign in with the login link that okr-coach serve printed when it started.");
    }
    const body = await response.json().catch(() => null);
    return { status: response.status, body };
  }

  // ---- chat ----------------------------------------------------------------------------------

  // Text with `code` spans, line breaks kept by CSS.
  function richText(text) {
    const p = el("p");
    String(text || "").split(/(`[^`\n]+`)/).forEach((part) => {
      if (part.startsWith("`") && part.endsWith("`") && part.length > 2) p.append(el("code", { text: part.slice(1, -1) }));
      else if (part) p.append(document.createTextNode(part));
    });
    return p;
  }

  function summaryCard(summary) {
    const dl = el("dl");
    for (const item of summary.items || []) dl.append(el("dt", { text: item.label }), el("dd", { text: item.text }));
    return el("div", { className: "card summary-card" }, el("h4", { text: summary.heading || "Summary" }), dl);
  }

  function okrCard(okr) {
    const list = el("ul");
    for (const kr of okr.key_results || []) list.append(el("li", { text: kr.text }));
    return el("div", { className: "card okr-card" },
      el("h4", { text: okr.objective }),
      okr.why ? el("p", { text: "Why: " + okr.why }) : null,
      okr.parent ? el("p", { text: "Connects to: " + okr.parent }) : null,
      list);
  }

  function progressCard(table) {
    const body = el("tbody");
    for (const row of table.rows || []) {
      body.append(el("tr", {},
        el("td", { text: row.key_result }),
        el("td", { text: row.value }),
        el("td", { text: percent(row.progress) + "%" }),
        el("td", { text: row.confidence ? row.confidence + "/10" : "–" }),
        el("td", { text: row.at_risk ? "at risk" : "" })));
    }
    return el("div", { className: "card progress-card" },
      el("h4", { text: table.title || "Progress" }),
      el("table", {},
        el("thead", {}, el("tr", {}, ...["Key result", "Value", "Progress", "Confidence", ""].map((h) => el("th", { scope: "col", text: h })))),
        body));
  }

  function choiceButtons(message) {
    const group = el("div", { className: "choices", role: "group" });
    if (message.question) {
      group.setAttribute("aria-label", "Choices");
      for (const choice of message.question.choices || []) {
        const button = el("button", { type: "button", "data-choice": choice.id, text: choice.label });
        button.addEventListener("click", () => sendAction(message.question.id, choice.id, choice.label));
        group.append(button);
      }
    } else if (message.scale) {
      const s = message.scale;
      group.setAttribute("aria-label", "Choose from " + s.min + " (" + (s.low_label || "low") + ") to " + s.max + " (" + (s.high_label || "high") + ")");
      for (let n = s.min; n <= s.max; n += 1) {
        const button = el("button", { type: "button", "data-choice": String(n), text: String(n) });
        button.addEventListener("click", () => sendAction(s.id, String(n), String(n)));
        group.append(button);
      }
      if (s.low_label || s.high_label) {
        group.append(el("div", { className: "scale-labels", "aria-hidden": "true" },
          el("span", { text: s.min + " = " + (s.low_label || "") }), el("span", { text: s.max + " = " + (s.high_label || "") })));
      }
    }
    return group;
  }

  function renderEntry(entry) {
    const m = entry.message || {};
    const coach = entry.author === "coach";
    const item = el("li", { className: "msg " + (coach ? "coach" : "person"), tabindex: "-1", "data-id": entry.id },
      el("span", { className: "who-said", text: coach ? "Coach: " : "You: " }),
      richText(m.text));
    if (m.summary) item.append(summaryCard(m.summary));
    if (m.okr) item.append(okrCard(m.okr));
    if (m.progress) item.append(progressCard(m.progress));
    if (m.question || m.scale) item.append(choiceButtons(m));
    return item;
  }

  // Only the newest coach message's choices stay clickable: an older question was answered.
  function retireOldChoices() {
    const groups = log.querySelectorAll(".choices");
    groups.forEach((group, index) => {
      const newest = index === groups.length - 1 && group.closest(".msg") === log.lastElementChild;
      group.querySelectorAll("button").forEach((b) => { b.disabled = !newest; });
    });
  }

  function addEntries(entries) {
    const empty = document.getElementById("log-empty");
    if (entries.length && empty) empty.remove();
    if (!entries.length && !lastId && !empty) {
      log.append(el("li", { id: "log-empty", className: "muted", text: "No messages yet. Type “help” to see what the coach can do, or “draft” to shape an OKR." }));
    }
    let newestCoach = null;
    for (const entry of entries) {
      if (entry.id <= lastId) continue;
      const item = renderEntry(entry);
      log.append(item);
      lastId = entry.id;
      if (entry.author === "coach") newestCoach = item;
    }
    if (!entries.length) return;
    retireOldChoices();
    log.scrollTop = log.scrollHeight;
    // After the first load, a new answer takes the focus so a screen reader or keyboard user is
    // where the conversation is; typing a key sends them back to the message box.
    if (newestCoach && loadedOnce) newestCoach.focus({ preventScroll: true });
    if (newestCoach) scheduleBoardRefresh(400);
  }

  function pause(ms) {
    return new Promise((resolve) => window.setTimeout(resolve, ms));
  }

  // The one loop that keeps the log current. A reload starts again from lastId 0, so it shows
  // the whole conversation and then waits for what comes next.
  async function listen() {
    if (listening) return;
    listening = true;
    try {
      for (;;) {
        let ok = false;
        let more = false;
        try {
          // The first load answers at once, so an empty log shows its hint straight away.
          const wait = loadedOnce ? WAIT_SECONDS : 0;
          const { status, body } = await getJson(api.messages + "?after=" + lastId + "&wait=" + wait);
          if (status === 200 && body) {
            addEntries(body.messages || []);
            more = Boolean(body.more);
            ok = true;
            if (notice.textContent.startsWith("The coach cannot be reached")) showNotice("");
          }
        } catch (error) {
          showNotice("The coach cannot be reached right now; retrying…");
        }
        loadedOnce = true;
        if (ok) {
          retryMs = 0;
        } else {
          // Backing off keeps a restarting server from being hammered by every open tab.
          retryMs = retryMs ? Math.min(retryMs * 2, RETRY_MAX_MS) : RETRY_FIRST_MS;
          await pause(retryMs);
        }
        // A tab nobody looks at stops listening; it catches up the moment it is shown again.
        if (document.hidden && !more) return;
      }
    } finally {
      listening = false;
    }
  }

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) {
      listen();
      scheduleBoardRefresh(0);
    }
  });

  async function send(payload) {
    payload.client_id = newClientId();
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        const response = await fetch(api.messages, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          credentials: "same-origin",
          body: JSON.stringify(payload),
        });
        if (response.status === 202 || response.status === 200) {
          showNotice("");
          break;
        }
        const error = await response.json().catch(() => ({}));
        showNotice(error.message || "The coach could not take that message.");
        break;
      } catch (error) {
        // Same client_id on the retry: the server recognises it and answers once.
        if (attempt === 1) showNotice("Your message could not be sent; please try again.");
      }
    }
    // The waiting poll wakes for the message and then for the answer; start one if none runs.
    listen();
  }

  function sendAction(id, value, label) {
    log.querySelectorAll(".choices button").forEach((b) => { b.disabled = true; });
    send({ action: { id, value, label } });
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send({ text });
  });

  // A printable key pressed while a message has the focus goes to the message box.
  log.addEventListener("keydown", (event) => {
    if (event.target.tagName === "BUTTON") return;
    if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) input.focus();
  });

  // ---- dashboard -----------------------------------------------------------------------------

  function progressBar(kr) {
    const value = percent(kr.progress);
    const bar = el("div", {
      className: "bar" + (kr.at_risk ? " at-risk" : ""), role: "progressbar",
      "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": value,
      "aria-label": "Progress of " + kr.text, "data-progress": value,
    }, el("div", { className: "bar-fill", style: { width: value + "%" } }));
    if (typeof kr.expected === "number") {
      bar.append(el("div", { className: "bar-expected", style: { left: percent(kr.expected) + "%" }, title: "expected by now" }));
    }
    return bar;
  }

  function keyResultItem(kr) {
    const trend = kr.previous_confidence == null || kr.confidence == null ? ""
      : kr.confidence > kr.previous_confidence ? " ↑" : kr.confidence < kr.previous_confidence ? " ↓" : " →";
    const facts = [kr.value_text, percent(kr.progress) + "%", kr.confidence == null ? "no check-in yet" : "confidence " + kr.confidence + "/10" + trend].join(" · ");
    const item = el("li", { className: "kr", "data-key-result": kr.id },
      el("div", { className: "kr-head" },
        el("span", { className: "kr-text", text: kr.text }),
        el("span", { className: "kr-facts", text: facts })),
      progressBar(kr));
    if (kr.at_risk) {
      const reasons = el("ul", { className: "reasons" });
      for (const reason of kr.reasons || []) reasons.append(el("li", { text: reason }));
      item.append(el("span", { className: "risk", text: kr.risk === "off track" ? "off track" : "at risk" }), reasons);
    }
    const chart = el("div", { className: "chart-slot", "data-chart-for": kr.id });
    item.append(chart);
    loadChart(kr, chart);
    return item;
  }

  function objectiveCard(objective) {
    const list = el("ul", { className: "krs" });
    for (const kr of objective.key_results || []) list.append(keyResultItem(kr));
    return el("article", { className: "objective", "data-objective": objective.id },
      el("h4", {}, objective.text, objective.at_risk ? el("span", { className: "risk", text: " at risk" }) : null),
      el("p", { className: "owner", text: objective.owner + (objective.progress == null ? "" : " · " + percent(objective.progress) + "% overall") }),
      list);
  }

  function fillObjectives(container, objectives, empty) {
    container.replaceChildren();
    if (!objectives.length) container.append(el("p", { className: "muted", text: empty }));
    for (const objective of objectives) container.append(objectiveCard(objective));
  }

  // Progress (0-100%) and confidence (1-10, drawn on the same height) per week of the cycle.
  function drawChart(history) {
    const W = 320, H = 120, left = 28, right = 8, top = 8, bottom = 20;
    const weeks = Math.max(history.weeks || 1, 1);
    const points = history.points || [];
    const x = (week) => left + ((week - 1) / Math.max(weeks - 1, 1)) * (W - left - right);
    const y = (fraction) => top + (1 - Math.max(0, Math.min(1, fraction))) * (H - top - bottom);
    const chart = svg("svg", { viewBox: "0 0 " + W + " " + H, class: "chart", role: "img", "data-points": points.length });
    const first = points[0], last = points[points.length - 1];
    const description = points.length === 0 ? "No check-ins yet this cycle."
      : "Week " + first.week + " to week " + last.week + ": progress from " + percent(first.progress) + "% to " + percent(last.progress)
        + "%, confidence from " + first.confidence + " to " + last.confidence + " out of 10.";
    const title = svg("title");
    title.textContent = "Progress and confidence of " + history.key_result.text + " by week. " + description;
    chart.append(title);
    chart.append(svg("line", { x1: left, y1: y(0), x2: W - right, y2: y(0), class: "axis" }));
    chart.append(svg("line", { x1: left, y1: y(1), x2: W - right, y2: y(1), class: "axis" }));
    for (const [fraction, label] of [[0, "0%"], [1, "100%"]]) {
      const t = svg("text", { x: 0, y: y(fraction) + 3 });
      t.textContent = label;
      chart.append(t);
    }
    for (const [week, anchor] of [[1, "start"], [weeks, "end"]]) {
      const t = svg("text", { x: week === 1 ? left : W - right, y: H - 4, "text-anchor": anchor });
      t.textContent = "week " + week;
      chart.append(t);
    }
    const line = (value, cls) => svg("polyline", { class: cls, points: points.map((p) => x(p.week) + "," + y(value(p))).join(" ") });
    chart.append(line((p) => p.progress, "progress-line"));
    chart.append(line((p) => p.confidence / 10, "confidence-line"));
    for (const p of points) {
      chart.append(svg("circle", { cx: x(p.week), cy: y(p.progress), r: 3, class: "point-progress" }));
      chart.append(svg("circle", { cx: x(p.week), cy: y(p.confidence / 10), r: 2.5, class: "point-confidence" }));
    }
    return chart;
  }

  async function loadChart(kr, slot) {
    try {
      const { status, body } = await getJson(api.history + "?key_result=" + encodeURIComponent(kr.id));
      if (status !== 200 || !body) return;
      slot.replaceChildren(drawChart(body),
        el("p", { className: "legend" }, el("span", { className: "p", text: "━ progress" }), "  ", el("span", { className: "c", text: "╌ confidence" })));
    } catch (error) {
      slot.replaceChildren(el("p", { className: "muted", text: "The chart could not be loaded." }));
    }
  }

  async function loadBoard() {
    try {
      const { status, body } = await getJson(api.okrs);
      if (status !== 200 || !body) return;
      document.getElementById("who").textContent = "Signed in as " + body.person.name + (body.team ? " · team " + body.team.name : "");
      const c = body.cycle;
      document.getElementById("cycle").textContent = (/^[0-9]/.test(c.label) ? "Cycle " : "") + c.label + ": " + c.starts_at.slice(0, 10) + " to " + c.ends_at.slice(0, 10)
        + " · " + percent(c.elapsed) + "% of the time gone";
      fillObjectives(document.getElementById("mine"), body.mine || [], "No OKRs yet this cycle. Type “draft” to shape one with the coach.");
      fillObjectives(document.getElementById("team"), body.team_objectives || [],
        body.team ? "Nobody else on your team has OKRs this cycle yet." : "You are not on a team yet.");
    } catch (error) {
      document.getElementById("mine").replaceChildren(el("p", { className: "muted", text: "Your OKRs could not be loaded." }));
    }
  }

  function scheduleBoardRefresh(delay) {
    window.clearTimeout(boardTimer);
    boardTimer = window.setTimeout(() => {
      if (document.hidden) return;  // picked up again by the visibilitychange listener
      loadBoard();
      loadDigest();
      loadSchedules();
      scheduleBoardRefresh(BOARD_REFRESH_MS);
    }, delay);
  }

  function notAvailable(container, what) {
    container.replaceChildren(el("p", { className: "muted", text: what + " is not available yet." }));
  }

  function digestView(d) {
    const box = el("div", { className: "digest" });
    box.append(el("p", {}, el("strong", { text: d.headline || "" })));
    if (d.week) box.append(el("p", { className: "muted", text: "Week " + (d.week.label || "") + (d.team ? " · " + d.team.name : "") }));
    for (const o of d.objectives || []) {
      const krs = el("ul");
      for (const kr of o.key_results || []) {
        const change = typeof kr.change === "number" ? " (" + (kr.change >= 0 ? "+" : "") + Math.round(kr.change * 100) + " pts)" : "";
        const text = kr.text + ": " + (kr.value_text || "") + ", " + percent(kr.progress) + "%" + change
          + (kr.confidence != null ? ", confidence " + kr.confidence + "/10" : "") + (kr.at_risk ? " — at risk" : "");
        krs.append(el("li", { text }));
      }
      box.append(el("h4", { text: o.text + (o.owner && o.owner.name ? " — " + o.owner.name : "") }), krs);
      for (const b of o.blockers || []) box.append(el("blockquote", { text: "“" + b.text + "” — " + b.author }));
    }
    const names = (list) => (list || []).map((p) => p.name).join(", ");
    if (d.checked_in) box.append(el("p", { text: "Checked in: " + (names(d.checked_in) || "nobody yet") }));
    if (d.not_checked_in) box.append(el("p", { text: "Not checked in: " + (names(d.not_checked_in) || "everyone did") }));
    if (!d.headline && d.text) box.append(el("p", { text: d.text }));
    return box;
  }

  async function loadDigest() {
    const container = document.getElementById("digest");
    try {
      const { status, body } = await getJson(api.digest);
      if (status !== 200 || !body) return notAvailable(container, "The digest");
      const digest = body.digest || body;
      container.replaceChildren(digestView(digest));
    } catch (error) {
      notAvailable(container, "The digest");
    }
  }

  async function loadSchedules() {
    const container = document.getElementById("schedules");
    try {
      const { status, body } = await getJson(api.schedules);
      if (status !== 200 || !body) return notAvailable(container, "Your schedule list");
      const items = Array.isArray(body) ? body : body.schedules || [];
      if (!items.length) return container.replaceChildren(el("p", { className: "muted", text: "Nothing scheduled for you." }));
      const list = el("ul", { className: "schedules" });
      for (const s of items) {
        const when = s.next_run_local || s.next_local || s.next_run || s.next_due_at || "";
        list.append(el("li", { text: (s.description || s.text || s.kind || "schedule") + (when ? " — next: " + when : "") }));
      }
      container.replaceChildren(list);
    } catch (error) {
      notAvailable(container, "Your schedule list");
    }
  }

  listen();
  scheduleBoardRefresh(0);
})();
