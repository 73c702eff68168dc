// Recherchieren: ask over the chosen collections; show passages, streamed answer, verified citations.
// Also refreshes the state of documents that are still being processed.
import { postStream } from "/static/sse-client.js";

const form = document.getElementById("ask-form");
const d = form.dataset;
const answer = document.getElementById("answer");
const answerText = document.getElementById("answer-text");
const warning = document.getElementById("answer-warning");
const citations = document.getElementById("citations");
const passagesArea = document.getElementById("passages-area");
const passages = document.getElementById("passages");
const errorBox = document.getElementById("ask-error");
const statusLine = document.getElementById("ask-status");
const announcer = document.getElementById("announcer");
const button = document.getElementById("ask");

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// "S." for printed pages; "Abschn." where the reader cut a page-less format into sections.
function pageLabel(source) {
  return source.logical ? d.section : d.page;
}

function pageLink(documentId, part, page, quote, label) {
  const link = el("a", "", label);
  const params = new URLSearchParams({ teil: part || "", zitat: quote || "" });
  link.href = `/recherchieren/dokumente/${documentId}/seiten/${page}?${params}#zitat`;
  return link;
}

function showPassages(list) {
  passages.replaceChildren();
  for (const p of list) {
    const item = el("li", "citation");
    item.append(el("strong", "", `${p.id} · `));
    item.append(pageLink(p.document_id, p.part, p.page_start, "", `${p.document}, ${pageLabel(p)} ${p.pages}`));
    if (p.heading) item.append(el("span", "", ` – ${p.heading}`));
    const details = el("details");
    details.append(el("summary", "", p.text.slice(0, 160) + (p.text.length > 160 ? " …" : "")));
    details.append(el("pre", "page-text", p.text));
    item.append(details);
    passages.append(item);
  }
  passagesArea.hidden = list.length === 0;
}

function showResult(data) {
  answerText.classList.remove("streaming-text");
  answerText.innerHTML = data.html;  // sanitised on the server
  citations.replaceChildren();
  for (const c of data.citations) {
    const item = el("li", "citation");
    item.append(el("span", `badge ${c.verified ? "ok" : "warn"}`, c.verified ? d.verified : d.unverified));
    item.append(" ");
    item.append(pageLink(c.document_id, c.part, c.page, c.quote, `${c.document}, ${pageLabel(c)} ${c.pages}`));
    item.append(el("blockquote", "", `„${c.quote}“`));
    citations.append(item);
  }
  const notes = [data.unsupported ? d.unsupported : "", data.note || ""].filter(Boolean);
  warning.hidden = notes.length === 0;
  warning.textContent = notes.join(" ");
  announcer.textContent = `${d.ready} ${answerText.textContent}`;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const chosen = [...form.querySelectorAll("input[name=collections]:checked")].map((i) => i.value);
  button.disabled = true;
  errorBox.hidden = true;
  statusLine.textContent = d.working;
  answer.hidden = true; answerText.textContent = ""; answerText.classList.add("streaming-text");
  try {
    await postStream("/api/v1/questions", {
      question: document.getElementById("question").value, collections: chosen,
      model: document.getElementById("model").value,
    }, (kind, data) => {
      if (kind === "passages") showPassages(data.passages);
      else if (kind === "delta") { answer.hidden = false; answerText.textContent += data.text; }
      else if (kind === "done") { answer.hidden = false; showResult(data); }
      else if (kind === "error") { errorBox.hidden = false; errorBox.textContent = data.message; }
    });
  } catch (error) {
    errorBox.hidden = false; errorBox.textContent = error.message;
  } finally {
    button.disabled = false; statusLine.textContent = "";
  }
});

// Refresh document states while any document is queued or processing.
async function refresh() {
  const lists = [...document.querySelectorAll(".doc-list")];
  const busy = lists.filter((l) => l.querySelector(".status-queued, .status-processing"));
  if (!busy.length) return;
  for (const list of busy) {
    const response = await fetch(`/api/v1/collections/${list.dataset.collection}/documents`);
    if (!response.ok) continue;
    for (const doc of await response.json()) {
      const item = list.querySelector(`[data-document="${doc.id}"]`);
      if (!item || item.classList.contains(`status-${doc.status}`)) continue;
      if (doc.status === "ready" || doc.status === "failed") { window.location.reload(); return; }
    }
  }
  setTimeout(refresh, 2000);
}
setTimeout(refresh, 1500);
