// Chat page. Model and web text is untrusted: it is put into the page with textContent, except the answer's
// HTML, which the server renders from Markdown and sanitizes; links are made only from http(s) addresses, and the
// page's Content-Security-Policy allows no inline script.
"use strict";

const state = {
  apiKey: sessionStorage.getItem("chatapp.apiKey") || "",
  config: null,
  conversations: [],
  activeId: null,
  running: null, // { conversationId }
};

const $ = (id) => document.getElementById(id);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function setStatus(text) { $("status").textContent = text || ""; }

async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  if (state.apiKey) headers["X-Api-Key"] = state.apiKey;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, Object.assign({}, options, { headers }));
  if (response.status === 401) {
    $("api-key-box").hidden = false;
    throw new Error("This server needs its API key: enter it on the left.");
  }
  if (!response.ok) {
    let detail = response.status + " " + response.statusText;
    try { const problem = await response.json(); detail = problem.detail || problem.title || detail; } catch { /* not JSON */ }
    throw new Error(detail);
  }
  return response;
}

async function loadConfig() {
  state.config = await (await api("/api/config")).json();
  const b = state.config.defaultBudget, l = state.config.limits;
  const set = (id, value, max) => { const input = $(id); input.value = value; input.max = max; };
  set("budget-search", b.searchUnits, l.maxSearchUnits);
  set("budget-browse", b.browseUnits, l.maxBrowseUnits);
  set("budget-tokens", b.maxTokens, l.maxTokens);
  set("budget-cost", b.maxCostUsd, l.maxCostUsd);
  $("question").maxLength = l.maxMessageChars;
  const model = state.config.model || { configured: true };
  $("banner").hidden = !!model.configured;
  $("banner").textContent = model.configured ? "" : model.help;
  state.modelConfigured = !!model.configured;
}

async function loadConversations() {
  state.conversations = await (await api("/api/conversations")).json();
  renderConversationList();
}

function renderConversationList() {
  const list = $("conversations");
  list.replaceChildren();
  for (const c of state.conversations) {
    const item = el("li", c.id === state.activeId ? "active" : "");
    const button = el("button", "conversation", c.title);
    button.type = "button";
    if (state.running && state.running.conversationId === c.id) item.classList.add("running");
    if (c.id === state.activeId) button.setAttribute("aria-current", "true");
    button.dataset.id = c.id;
    button.dataset.testid = "conversation";
    button.addEventListener("click", () => selectConversation(c.id).catch((e) => setStatus(e.message)));
    item.appendChild(button);
    list.appendChild(item);
  }
}

async function newConversation() {
  const created = await (await api("/api/conversations", { method: "POST" })).json();
  state.conversations.push({ id: created.id, title: created.title });
  await selectConversation(created.id);
}

async function selectConversation(id) {
  state.activeId = id;
  renderConversationList();
  const conversation = await (await api("/api/conversations/" + encodeURIComponent(id))).json();
  const box = $("messages");
  box.replaceChildren();
  for (const [index, m] of conversation.messages.entries()) {
    if (m.role === "user") {
      box.appendChild(el("div", "msg user", m.text));
    } else {
      const run = createRunView(id);
      run.turn = index;
      if (m.events && m.events.length) {
        // The server kept the run: replay it, so a reload shows the steps, sources and budget too.
        run.replay = true;
        for (const e of m.events) handleEvent(run, e.type, e);
        run.replay = false;
        if (run.count > 0 && run.answer.childNodes.length > 0) run.timeline.open = false;
      } else {
        showAnswer(run, { text: m.text, html: m.html, citations: m.citations || [] });
      }
      box.appendChild(run.root);
    }
  }
  if (conversation.pendingAsk) {
    // The run in progress waits for an answer: show its question again.
    const run = createRunView(id);
    addAsk(run, conversation.pendingAsk);
    box.appendChild(run.root);
  }
  updateButtons();
}

function oneLine(text, max) {
  const line = String(text || "").replace(/\s+/g, " ").trim();
  return line.length <= max ? line : line.slice(0, max - 1) + "\u2026";
}

function createRunView(conversationId) {
  const root = el("article", "msg assistant");
  root.dataset.testid = "run";
  root.setAttribute("aria-label", "Agent run");
  const timeline = el("details", "timeline");
  timeline.open = true;
  const timelineTitle = el("summary", "timeline-title", "Steps");
  timelineTitle.dataset.testid = "steps-toggle";
  const steps = el("ol", "steps");
  steps.dataset.testid = "steps";
  timeline.append(timelineTitle, steps);
  timeline.hidden = true;
  const meter = el("div", "meter");
  meter.dataset.testid = "budget-meter";
  meter.setAttribute("role", "group");
  meter.setAttribute("aria-label", "Budget");
  meter.hidden = true;
  const units = el("div", "units");
  units.dataset.testid = "budget-units";
  const totals = el("div", "totals");
  totals.dataset.testid = "budget-totals";
  const regime = el("div", "regime");
  regime.dataset.testid = "budget-regime";
  meter.append(units, totals, regime);
  const answer = el("div", "answer");
  answer.dataset.testid = "answer";
  answer.addEventListener("click", (e) => {
    const cite = e.target.closest("a.cite");
    if (!cite) return;
    e.preventDefault();
    openSource(run, cite.dataset.cite);
  });
  const sources = el("section", "sources");
  sources.setAttribute("aria-label", "Sources");
  sources.hidden = true;
  const sourcesTitle = el("h3", null, "Sources");
  const citations = el("ol", "citations");
  citations.dataset.testid = "citations";
  sources.append(sourcesTitle, citations);
  const status = el("div", "run-status");
  status.dataset.testid = "run-status";
  // Report mode: the sections the writer planned and how far each is written, then the Markdown download.
  const report = el("section", "report");
  report.setAttribute("aria-label", "Report progress");
  report.dataset.testid = "report";
  report.hidden = true;
  const reportProgress = el("div", "report-progress");
  reportProgress.dataset.testid = "report-progress";
  reportProgress.setAttribute("role", "status");
  const reportSections = el("ol", "report-sections");
  reportSections.dataset.testid = "report-sections";
  const download = el("button", "download", "Download report (Markdown)");
  download.type = "button";
  download.dataset.testid = "download-report";
  download.hidden = true;
  download.addEventListener("click", () => downloadReport(run).catch((e) => setStatus(e.message)));
  report.append(reportProgress, reportSections);
  root.append(timeline, meter, report, answer, download, sources, status);
  const run = { root, timeline, timelineTitle, steps, meter, units, totals, regime, answer, sources, citations, status, report, reportProgress, reportSections, download,
    conversationId, turn: null, isReport: false, calls: new Map(), asks: new Map(), count: 0, replay: false };
  return run;
}

const sectionText = { planned: "planned", writing: "being written", complete: "written" };

function showSections(run, data) {
  const sections = data.sections || [];
  run.report.hidden = false;
  const written = sections.filter((s) => s.status === "complete").length;
  run.reportProgress.textContent = "Report: " + written + " of " + sections.length + " sections written";
  run.reportSections.replaceChildren();
  for (const s of sections) {
    const item = el("li", "report-section " + s.status);
    item.dataset.testid = "report-section";
    item.dataset.status = s.status;
    item.append(el("span", "section-title", s.title), el("span", "section-status", " \u2014 " + (sectionText[s.status] || s.status)));
    run.reportSections.appendChild(item);
  }
}

function updateDownload(run) {
  run.download.hidden = !(run.isReport && run.turn !== null && run.turn !== undefined && run.conversationId);
}

async function downloadReport(run) {
  // fetch (not a plain link) so that the API key header goes with it; the file is saved from a blob URL.
  const response = await api("/api/conversations/" + encodeURIComponent(run.conversationId) + "/messages/" + encodeURIComponent(run.turn) + "/report");
  const disposition = response.headers.get("Content-Disposition") || "";
  const match = /filename="?([^";]+)"?/.exec(disposition);
  const url = URL.createObjectURL(await response.blob());
  const link = el("a");
  link.href = url;
  link.download = match ? match[1] : "report.md";
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

function addStep(run, kind, label, line, detail, className) {
  const item = el("li", "step " + (className || ""));
  item.dataset.testid = "step";
  item.dataset.kind = kind;
  const fold = el("details");
  const summary = el("summary");
  summary.appendChild(el("span", "label", label));
  const text = el("span", "line", line);
  summary.appendChild(text);
  fold.appendChild(summary);
  const body = el("div", "detail");
  if (detail) body.appendChild(el("div", "full", detail));
  fold.appendChild(body);
  item.appendChild(fold);
  run.steps.appendChild(item);
  run.timeline.hidden = false;
  run.count++;
  run.timelineTitle.textContent = "Steps (" + run.count + ")";
  if (!run.replay) item.scrollIntoView({ block: "nearest" });
  return { item, summary, text, body };
}

function renderCards(cards) {
  const list = el("ul", "cards");
  list.dataset.testid = "cards";
  for (const c of cards || []) {
    const card = el("li", "card");
    card.dataset.testid = "card";
    const href = safeHref(c.url);
    if (href) {
      const link = el("a", "card-title", c.title || c.url);
      link.href = href;
      link.target = "_blank";
      link.rel = "noopener noreferrer nofollow";
      card.appendChild(link);
    } else {
      card.appendChild(el("span", "card-title", c.title || c.url));
    }
    card.appendChild(el("div", "card-url", c.url));
    if (c.text) card.appendChild(el("p", "card-text", c.text));
    list.appendChild(card);
  }
  return list;
}

function addToolCall(run, data) {
  const step = addStep(run, "tool_call", "tool", data.tool + " " + data.arguments, null, "tool");
  run.calls.set(data.callId, step);
}

function addToolResult(run, data) {
  let step = run.calls.get(data.callId);
  if (!step) step = addStep(run, "tool_result", data.tool, "", null, "tool");
  step.item.dataset.kind = "tool_result";
  const result = el("span", data.executed ? "result" : "result refused", (data.executed ? " \u2192 " : " \u2192 refused: ") + oneLine(data.summary, 160));
  result.dataset.testid = "step-result";
  step.summary.appendChild(result);
  if (!data.executed) step.item.classList.add("refused");
  if (data.cards && data.cards.length) step.body.appendChild(renderCards(data.cards));
  else if (data.summary && data.summary.length > 160) step.body.appendChild(el("div", "full", data.summary));
}

// A spent tool budget pauses the run and asks: the question (plain text) and two buttons, answered once.
function addAsk(run, data) {
  const item = el("li", "step ask");
  item.dataset.testid = "ask";
  item.dataset.kind = "ask";
  item.setAttribute("role", "group");
  item.setAttribute("aria-label", "Budget question");
  const question = el("p", "ask-text", data.text);
  question.dataset.testid = "ask-text";
  const grant = el("button", "ask-grant", "Continue with " + data.offer + " more");
  grant.type = "button";
  grant.dataset.testid = "ask-grant";
  grant.setAttribute("aria-label", "Continue with " + data.offer + " more " + data.category + " units");
  const decline = el("button", "ask-decline", "Stop here");
  decline.type = "button";
  decline.dataset.testid = "ask-decline";
  decline.setAttribute("aria-label", "Stop here: no more " + data.category + " units");
  const outcome = el("span", "ask-outcome");
  outcome.dataset.testid = "ask-outcome";
  outcome.setAttribute("role", "status");
  const actions = el("div", "ask-actions");
  actions.append(grant, decline, outcome);
  item.append(question, actions);
  run.steps.appendChild(item);
  run.timeline.hidden = false;
  run.timeline.open = true;
  run.count++;
  run.timelineTitle.textContent = "Steps (" + run.count + ")";
  const ask = { item, grant, decline, outcome };
  run.asks.set(data.askId, ask);
  const answer = async (yes) => {
    grant.disabled = decline.disabled = true;
    try {
      await api("/api/conversations/" + encodeURIComponent(run.conversationId) + "/asks/" + encodeURIComponent(data.askId),
        { method: "POST", body: JSON.stringify({ grant: yes }) });
      if (!outcome.textContent) outcome.textContent = yes ? "Continuing\u2026" : "Stopping\u2026";
    } catch (error) {
      outcome.textContent = error.message;
    }
  };
  grant.addEventListener("click", () => answer(true));
  decline.addEventListener("click", () => answer(false));
  if (run.replay) {
    grant.disabled = decline.disabled = true;
  } else {
    item.scrollIntoView({ block: "nearest" });
    grant.focus();
  }
}

function answerAsk(run, data) {
  const ask = run.asks.get(data.askId);
  if (!ask) return;
  ask.grant.disabled = ask.decline.disabled = true;
  ask.item.dataset.answer = data.granted ? "granted" : "declined";
  ask.outcome.textContent = data.granted ? "Granted " + data.units + " more"
    : data.by === "timeout" ? "No answer in time: stopped" : "Stopped here";
}

function addThinking(run, data) {
  const text = String(data.text || "");
  const line = oneLine(text, 200);
  addStep(run, "thinking", data.label || "step", line, text.trim() !== line ? text : null);
}

function safeHref(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch { return null; }
}

function showAnswer(run, answer) {
  // answer.html is rendered by the server from Markdown and sanitized there (HtmlSanitizer allow-list); the
  // page's CSP also forbids inline script. Without it the answer is shown as plain text.
  if (typeof answer.html === "string") run.answer.innerHTML = answer.html;
  else run.answer.textContent = answer.text;
  run.answer.classList.toggle("markdown", typeof answer.html === "string");
  run.citations.replaceChildren();
  for (const c of answer.citations || []) {
    const item = el("li", "source");
    item.value = c.number;
    item.dataset.testid = "source";
    item.dataset.number = String(c.number);
    const href = safeHref(c.url);
    if (href) {
      const link = el("a", "source-title", c.title || c.url);
      link.href = href;
      link.target = "_blank";
      link.rel = "noopener noreferrer nofollow";
      item.appendChild(link);
      item.appendChild(el("div", "source-url", c.url));
    } else {
      item.textContent = (c.title || "") + " " + c.url;
    }
    if (c.evidence || c.archive) {
      const fold = el("details", "evidence");
      fold.appendChild(el("summary", null, "What the agent read"));
      if (c.evidence) {
        const quote = el("blockquote", null, c.evidence);
        quote.dataset.testid = "evidence";
        fold.appendChild(quote);
      }
      if (c.archive) {
        const archive = el("div", "archive", "Archived copy in the run's workspace: " + c.archive);
        archive.dataset.testid = "archive";
        fold.appendChild(archive);
      }
      item.appendChild(fold);
    }
    run.citations.appendChild(item);
  }
  run.sources.hidden = run.citations.childElementCount === 0;
  if (run.count > 0 && !run.replay) run.timeline.open = false; // fold the steps once the answer is there
}

function openSource(run, number) {
  const item = run.citations.querySelector('li[data-number="' + CSS.escape(String(number)) + '"]');
  if (!item) return;
  for (const other of run.citations.querySelectorAll("li.selected")) other.classList.remove("selected");
  item.classList.add("selected");
  const fold = item.querySelector("details");
  if (fold) fold.open = true;
  item.scrollIntoView({ block: "nearest" });
  const link = item.querySelector("a");
  if (link) link.focus();
}

function meterRow(name, used, limit, text) {
  const row = el("div", "meter-row");
  row.dataset.category = name;
  const label = el("span", "name", name);
  const bar = el("div", "bar");
  bar.setAttribute("role", "progressbar");
  bar.setAttribute("aria-label", name);
  bar.setAttribute("aria-valuemin", "0");
  bar.setAttribute("aria-valuemax", String(limit));
  bar.setAttribute("aria-valuenow", String(Math.min(used, limit)));
  const fill = el("div", "fill");
  const fraction = limit > 0 ? Math.max(0, Math.min(1, used / limit)) : 1;
  fill.style.width = (fraction * 100).toFixed(1) + "%";
  if (fraction >= 0.9) fill.classList.add("critical");
  else if (fraction >= 0.6) fill.classList.add("medium");
  bar.appendChild(fill);
  row.append(label, bar, el("span", "value", " " + text));
  return row;
}

function showBudget(run, b) {
  run.meter.hidden = false;
  run.meter.dataset.regime = b.regime;
  run.units.replaceChildren();
  // Only limited categories: an unlimited one has nothing to measure against.
  for (const c of b.categories || []) {
    if (c.limit === null || c.limit === undefined) continue;
    run.units.appendChild(meterRow(c.name, Number(c.used), Number(c.limit), c.used + "/" + c.limit));
  }
  const n = (v) => Number(v).toLocaleString("en-US");
  run.totals.replaceChildren(
    meterRow("tokens in", Number(b.inputTokens), Number(b.maxTokens), n(b.inputTokens) + "/" + n(b.maxTokens)),
    meterRow("tokens out", Number(b.outputTokens), Number(b.maxTokens), n(b.outputTokens) + "/" + n(b.maxTokens)),
    meterRow("cost", Number(b.costUsd), Number(b.maxCostUsd), "$" + Number(b.costUsd).toFixed(4) + "/$" + Number(b.maxCostUsd).toFixed(2)));
  if (b.maxSeconds) {
    run.totals.appendChild(meterRow("time", Number(b.elapsedSeconds || 0), Number(b.maxSeconds),
      Math.round(Number(b.elapsedSeconds || 0)) + "s/" + Math.round(Number(b.maxSeconds)) + "s"));
  }
  run.regime.textContent = "Budget left: " + Math.round(Math.max(0, Math.min(1, Number(b.remainingFraction))) * 100) + "% (" + b.regime + ")";
}

const doneText = { completed: "Finished", cancelled: "Stopped", timed_out: "Stopped: the run took too long", failed: "Failed", disconnected: "Disconnected" };

// The model's text as it arrives, shown as plain text until the answer replaces it; a turn that ends in a step
// (tool call or reasoning shown in the timeline) clears it.
function showDelta(run, data) {
  if (run.answered) return;
  run.answer.dataset.streaming = "true";
  run.answer.textContent += data.text;
}

function clearDelta(run) {
  if (run.answered || run.answer.dataset.streaming !== "true") return;
  run.answer.textContent = "";
  delete run.answer.dataset.streaming;
}

function handleEvent(run, name, data) {
  switch (name) {
    case "delta": showDelta(run, data); break;
    case "thinking": clearDelta(run); addThinking(run, data); break;
    case "tool_call": clearDelta(run); addToolCall(run, data); break;
    case "tool_result": addToolResult(run, data); break;
    case "budget": showBudget(run, data); break;
    case "ask": clearDelta(run); addAsk(run, data); break;
    case "ask_answer": answerAsk(run, data); break;
    case "sections": showSections(run, data); break;
    case "answer":
      delete run.answer.dataset.streaming;
      run.answered = true;
      showAnswer(run, data);
      run.isReport = !!data.isReport;
      updateDownload(run);
      break;
    case "error": run.status.textContent = data.message; break;
    case "done":
      if (typeof data.turn === "number") run.turn = data.turn;
      updateDownload(run);
      run.status.dataset.status = data.status;
      run.status.textContent = (run.status.textContent ? run.status.textContent + " \u00B7 " : "") + (doneText[data.status] || data.status);
      break;
  }
}

async function readEvents(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let index;
    while ((index = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, index);
      buffer = buffer.slice(index + 2);
      let name = "message", data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) data += line.slice(5).trim();
      }
      if (data) onEvent(name, JSON.parse(data));
    }
  }
}

function readBudget() {
  return {
    searchUnits: Number($("budget-search").value),
    browseUnits: Number($("budget-browse").value),
    maxTokens: Number($("budget-tokens").value),
    maxCostUsd: Number($("budget-cost").value),
  };
}

function updateButtons() {
  const busyHere = state.running && state.running.conversationId === state.activeId;
  $("send").disabled = !!state.running || state.modelConfigured === false;
  $("stop").disabled = !busyHere;
}

async function send(event) {
  event.preventDefault();
  const question = $("question").value.trim();
  if (!question || state.running) return;
  setStatus("");
  try {
    if (!state.activeId) await newConversation();
    const conversationId = state.activeId;
    const body = JSON.stringify({ message: question, strategy: $("strategy").value, budget: readBudget() });
    const response = await api("/api/conversations/" + encodeURIComponent(conversationId) + "/messages",
      { method: "POST", body, headers: { Accept: "text/event-stream" } });
    $("question").value = "";
    $("messages").appendChild(el("div", "msg user", question));
    const run = createRunView(conversationId);
    $("messages").appendChild(run.root);
    run.timeline.hidden = false;
    state.running = { conversationId };
    updateButtons();
    await loadConversations();
    try {
      await readEvents(response, (name, data) => handleEvent(run, name, data));
    } finally {
      state.running = null;
      updateButtons();
      await loadConversations();
    }
  } catch (error) {
    setStatus(error.message);
  }
}

async function stop() {
  if (!state.running) return;
  try {
    await api("/api/conversations/" + encodeURIComponent(state.running.conversationId) + "/stop", { method: "POST" });
  } catch (error) {
    setStatus(error.message);
  }
}

async function start() {
  setStatus("");
  await loadConfig();
  await loadConversations();
  if (state.conversations.length === 0) await newConversation();
  else await selectConversation(state.conversations[state.conversations.length - 1].id);
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", () => {
  $("composer").addEventListener("submit", send);
  $("stop").addEventListener("click", stop);
  $("new-chat").addEventListener("click", () => newConversation().catch((e) => setStatus(e.message)));
  $("question").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); $("composer").requestSubmit(); }
  });
  $("api-key-save").addEventListener("click", () => {
    state.apiKey = $("api-key").value;
    sessionStorage.setItem("chatapp.apiKey", state.apiKey);
    $("api-key-box").hidden = true;
    start().catch((e) => setStatus(e.message));
  });
  start().catch((e) => setStatus(e.message));
});
