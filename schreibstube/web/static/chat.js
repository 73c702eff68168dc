// Streaming chat. Tokens are shown as plain text while they arrive; on completion the
// server-sanitised HTML replaces them and the answer is announced once to screen readers.
import { postStream } from "/static/sse-client.js";

const form = document.getElementById("chat-form");
const list = document.getElementById("messages");
const input = document.getElementById("message");
const modelSelect = document.getElementById("model");
const statusLine = document.getElementById("chat-status");
const announcer = document.getElementById("announcer");
const demoNotice = document.getElementById("demo-notice");
const sendButton = document.getElementById("send");

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function addUserMessage(text) {
  const item = el("li", "message user");
  item.append(el("p", "you-label", form.dataset.youLabel));
  const content = el("div", "content");
  content.append(el("p", "", text));
  item.append(content);
  list.append(item);
}

function addAnswer(model) {
  const item = el("li", "message assistant status-streaming");
  item.setAttribute("aria-busy", "true");
  item.append(el("p", "ai-label", `${form.dataset.aiLabel} · ${model}`));
  const content = el("div", "content streaming-text");
  item.append(content);
  list.append(item);
  return { item, content };
}

async function ensureConversation() {
  if (form.dataset.conversation) return form.dataset.conversation;
  const response = await fetch("/api/v1/conversations", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ model: modelSelect.value }),
  });
  if (!response.ok) throw new Error((await response.json()).error.message);
  const conv = await response.json();
  form.dataset.conversation = conv.id;
  history.replaceState(null, "", `/chat/${conv.id}`);
  return conv.id;
}

// The new conversation appears at the top of the sidebar at once (the server names it after
// the first message the same way: its first 60 characters).
function listConversation(id, text) {
  const listed = document.getElementById("conv-list") || document.getElementById("conv-list-new");
  if (!listed) return;
  const words = text.split(/\s+/).join(" ");
  const link = el("a", "", words.slice(0, 60) + (text.length > 60 ? "…" : ""));
  link.href = `/chat/${id}`;
  link.setAttribute("aria-current", "page");
  for (const current of listed.querySelectorAll("[aria-current]")) current.removeAttribute("aria-current");
  const item = el("li");
  item.append(link);
  listed.prepend(item);
  listed.hidden = false;
  document.getElementById("chat-heading").textContent = link.textContent;
  document.title = document.title.replace(/^[^–]*/, `${link.textContent} `);
  const none = document.getElementById("conv-none");
  if (none) none.hidden = true;
}

function finish(answer, html, status) {
  answer.content.classList.remove("streaming-text");
  answer.content.innerHTML = html;  // sanitised on the server (nh3 allow-list)
  answer.item.className = `message assistant status-${status}`;
  answer.item.removeAttribute("aria-busy");
}

function showError(answer, data) {
  finish(answer, data.partial_html || "", data.partial ? "incomplete" : "error");
  if (data.partial) answer.item.append(el("p", "status-note", form.dataset.incomplete));
  const box = el("p", "error-box", data.message);
  box.setAttribute("role", "alert");
  answer.item.append(box);
}

async function send(text) {
  sendButton.disabled = true;
  statusLine.textContent = form.dataset.working;
  addUserMessage(text);
  let answer = null;
  try {
    const isNew = !form.dataset.conversation;
    const id = await ensureConversation();
    if (isNew) listConversation(id, text);
    answer = addAnswer(modelSelect.options[modelSelect.selectedIndex].text);
    await postStream(`/api/v1/conversations/${id}/messages`, { content: text, model: modelSelect.value },
      (kind, data) => {
        if (kind === "delta") answer.content.textContent += data.text;
        else if (kind === "done") {
          finish(answer, data.html, data.status);
          if (data.note) {
            answer.item.append(el("p", "status-note", form.dataset.incomplete));
            answer.item.append(el("p", "error-box", data.note));
          }
          announcer.textContent = `${form.dataset.answerReady} ${answer.content.textContent}`;
        } else if (kind === "error") showError(answer, data);
      });
  } catch (error) {
    if (!answer) answer = addAnswer(modelSelect.value);
    showError(answer, { message: error.message || form.dataset.networkError, partial: answer.content.textContent,
                        partial_html: "" });
  } finally {
    statusLine.textContent = "";
    sendButton.disabled = false;
    input.focus();
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  send(text);
});
input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
});
modelSelect.addEventListener("change", () => {
  const demo = modelSelect.options[modelSelect.selectedIndex].dataset.demo === "true";
  if (demoNotice) demoNotice.hidden = !demo;
});
