// Chat page. Model and web text is untrusted: it is only ever put into the page with textContent,
// and links are made only from http(s) addresses.
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
}

async function loadConversations() {
  state.conversations = await (await api("/api/conversations")).json();
  renderConversationList();
}

function renderConversationList() {
  const list = $("conversations");
  list.replaceChildren();
  for (const c of state.conversations) {
    const item = el("li", c.id === state.activeId ? "active" : "", c.title);
    if (state.running && state.running.conversationId === c.id) item.classList.add("running");
    item.dataset.id = c.id;
    item.dataset.testid = "conversation";
    item.addEventListener("click", () => selectConversation(c.id));
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
  for (const m of conversation.messages) {
    if (m.role === "user") {
      box.appendChild(el("div", "msg user", m.text));
    } else {
      const run = createRunView();
      showAnswer(run, { text: m.text, citations: m.citations || [] });
      box.appendChild(run.root);
    }
  }
  updateButtons();
}

function createRunView() {
  const root = el("div", "msg assistant");
  root.dataset.testid = "run";
  const steps = el("ul", "steps");
  steps.dataset.testid = "steps";
  const meter = el("div", "meter");
  meter.dataset.testid = "budget-meter";
  meter.hidden = true;
  const bar = el("div", "bar");
  const fill = el("div", "fill");
  bar.appendChild(fill);
  const units = el("div", "units");
  units.dataset.testid = "budget-units";
  const totals = el("div", "totals");
  totals.dataset.testid = "budget-totals";
  meter.append(bar, units, totals);
  const answer = el("div", "answer");
  answer.dataset.testid = "answer";
  const citations = el("ol", "citations");
  citations.dataset.testid = "citations";
  const status = el("div", "run-status");
  status.dataset.testid = "run-status";
  root.append(steps, meter, answer, citations, status);
  return { root, steps, meter, fill, units, totals, answer, citations, status };
}

function addStep(run, label, text, className) {
  const item = el("li", className || "");
  item.appendChild(el("span", "label", label));
  item.appendChild(document.createTextNode(text));
  item.dataset.testid = "step";
  run.steps.appendChild(item);
  item.scrollIntoView({ block: "nearest" });
  return item;
}

function safeHref(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch { return null; }
}

function showAnswer(run, answer) {
  run.answer.textContent = answer.text;
  run.citations.replaceChildren();
  for (const c of answer.citations || []) {
    const item = el("li");
    item.value = c.number;
    const href = safeHref(c.url);
    if (href) {
      const link = el("a", null, c.title || c.url);
      link.href = href;
      link.target = "_blank";
      link.rel = "noopener noreferrer nofollow";
      item.appendChild(link);
    } else {
      item.textContent = (c.title || "") + " " + c.url;
    }
    run.citations.appendChild(item);
  }
}

function showBudget(run, b) {
  run.meter.hidden = false;
  const fraction = Math.max(0, Math.min(1, Number(b.remainingFraction)));
  run.fill.style.width = (fraction * 100).toFixed(1) + "%";
  run.fill.className = "fill " + String(b.regime || "").toLowerCase();
  run.meter.dataset.regime = b.regime;
  run.units.replaceChildren();
  for (const c of b.categories || []) {
    const span = el("span", null, c.name + " " + c.used + (c.limit === null || c.limit === undefined ? "" : "/" + c.limit));
    span.dataset.category = c.name;
    run.units.appendChild(span);
  }
  const max = Number(b.maxTokens).toLocaleString("en-US");
  run.totals.textContent =
    "tokens in " + Number(b.inputTokens).toLocaleString("en-US") + "/" + max +
    ", out " + Number(b.outputTokens).toLocaleString("en-US") + "/" + max +
    " \u00B7 cost $" + Number(b.costUsd).toFixed(4) + "/$" + Number(b.maxCostUsd).toFixed(2) +
    " \u00B7 " + b.regime;
}

const doneText = { completed: "Finished", cancelled: "Stopped", timed_out: "Stopped: the run took too long", failed: "Failed", disconnected: "Disconnected" };

function handleEvent(run, name, data) {
  switch (name) {
    case "thinking": addStep(run, data.label || "step", data.text); break;
    case "tool_call": addStep(run, "tool", data.tool + " " + data.arguments, "tool").dataset.kind = "tool_call"; break;
    case "tool_result": {
      const item = addStep(run, data.executed ? "result" : "refused", data.tool + ": " + data.summary, data.executed ? "" : "refused");
      item.dataset.kind = "tool_result";
      break;
    }
    case "budget": showBudget(run, data); break;
    case "answer": showAnswer(run, data); break;
    case "error": run.status.textContent = data.message; break;
    case "done":
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
  $("send").disabled = !!state.running;
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
    const run = createRunView();
    $("messages").appendChild(run.root);
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
