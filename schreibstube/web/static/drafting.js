// "Formulieren": stream a draft or a revision through the JSON API and update the page in place.
// Tokens are shown as plain text while they arrive (aria-busy); when the version is complete the
// server's escaped HTML replaces them and the result is announced once through the aria-live
// region — never token by token. Without JavaScript the same forms post to the server.
// A saved template ("Vorlage") gets one labelled, required input per variable, built here from
// the selected option's data-variables; values typed so far survive switching templates.
import { postStream } from "/static/sse-client.js";
import { copyText } from "/static/clipboard.js";

const $ = (id) => document.getElementById(id);
const form = $("draft-form");
const result = $("ergebnis");
const content = $("draft-content");
const typeSelect = $("text_type");
const modelSelect = $("model");
const templateSelect = $("template_id");
const templateBox = $("template-variables");
const templateFields = $("template-variable-fields");
const templateValues = JSON.parse(templateBox.dataset.values || "{}");
const says = (key) => form.dataset[key];
const versionName = (v) => `${says("versionLabel").replace("{n}", v.number)} · ${v.instruction_label}`;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function setBusy(busy, statusLine) {
  for (const button of document.querySelectorAll("#draft-form button, .revise-form button")) {
    button.disabled = busy;
  }
  statusLine.textContent = busy ? says("working") : "";
  content.setAttribute("aria-busy", busy ? "true" : "false");
}

function showError(target, message, partial) {
  content.classList.remove("streaming-text");
  if (partial) target.append(el("p", "status-note", says("incomplete")));
  const box = el("p", "error-box", message);
  box.setAttribute("role", "alert");
  target.append(box);
}

function showReadability(r) {
  $("readability").hidden = !r;
  if (!r) return;
  $("readability-basis").textContent = r.basis_label;
  $("amstad-before").textContent = r.before.amstad_text;
  $("amstad-after").textContent = r.after.amstad_text;
  $("wstf-before").textContent = r.before.wstf_text;
  $("wstf-after").textContent = r.after.wstf_text;
}

function listVersion(v) {
  const list = $("version-list");
  for (const link of list.querySelectorAll("a")) link.removeAttribute("aria-current");
  const link = el("a", "", versionName(v));
  link.href = `/formulieren/${v.draft_id}?version=${v.number}#ergebnis`;
  link.setAttribute("aria-current", "true");
  const item = el("li");
  item.append(link);
  list.append(item);
}

function pointTo(v) {
  result.dataset.draft = v.draft_id;
  result.dataset.version = v.number;
  for (const input of document.querySelectorAll(".revise-version")) input.value = v.number;
  for (const revise of document.querySelectorAll(".revise-form")) {
    revise.action = `/formulieren/${v.draft_id}/ueberarbeiten`;
  }
  $("delete-form").action = `/formulieren/${v.draft_id}/loeschen`;
  for (const fmt of Object.keys(v.exports)) $(`download-${fmt}`).href = v.exports[fmt];
  history.replaceState(null, "", `/formulieren/${v.draft_id}?version=${v.number}`);
}

function listDraft(v) {
  const list = $("draft-list");
  for (const link of list.querySelectorAll("a")) link.removeAttribute("aria-current");
  let link = list.querySelector(`a[href="/formulieren/${v.draft_id}"]`);
  if (!link) {
    link = el("a");
    link.href = `/formulieren/${v.draft_id}`;
    link.append(el("span", "list-title"), el("span", "list-meta", typeSelect.selectedOptions[0].text));
    const item = el("li");
    item.append(link);
    list.prepend(item);
  }
  link.setAttribute("aria-current", "page");
  link.querySelector(".list-title").textContent = v.title;
  list.hidden = false;
  $("no-drafts").hidden = true;
}

function showVersion(v) {
  content.classList.remove("streaming-text");
  content.innerHTML = v.html;  // every text escaped on the server (web/draft_html.py)
  $("draft-labels").replaceChildren(...v.labels.map((label) => el("p", "draft-label", label)));
  $("result-version").textContent = versionName(v);
  showReadability(v.readability);
  pointTo(v);
  listVersion(v);
  listDraft(v);
  $("draft-after").hidden = false;
  $("announcer").textContent = [says("ready"), versionName(v), ...v.labels, content.innerText].join(" ");
}

function onEvent(kind, data, errors) {
  if (kind === "meta") {
    if (data.draft_id !== result.dataset.draft) $("version-list").replaceChildren();
    result.dataset.draft = data.draft_id;
  } else if (kind === "delta") {
    content.textContent += data.text;
  } else if (kind === "done") {
    showVersion(data);
  } else if (kind === "error") {
    showError(errors, data.message, data.partial);
  }
}

async function run(url, body, errors, statusLine) {
  for (const target of [$("form-errors"), $("draft-errors")]) target.replaceChildren();
  $("announcer").textContent = "";
  setBusy(true, statusLine);
  let started = false;
  try {
    await postStream(url, { ...body, stream: true }, (kind, data) => {
      if (!started) {
        started = true;
        result.hidden = false;
        content.classList.add("streaming-text");
        content.textContent = "";
      }
      onEvent(kind, data, $("draft-errors"));
    });
  } catch (error) {
    showError(started ? $("draft-errors") : errors, error.message || says("networkError"),
              started && content.textContent);
  } finally {
    setBusy(false, statusLine);
  }
}

function requestBody() {
  const body = { variables: {} };
  for (const [name, value] of new FormData(form)) {
    if (name.startsWith("var_")) body.variables[name.slice(4)] = value;
    else body[name] = value;
  }
  return body;
}

function humanize(name) {
  const text = name.replaceAll("_", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function variableField(name) {
  const field = el("div", "field");
  const label = el("label", "", humanize(name));
  const input = el("input");
  label.htmlFor = input.id = `tvar-${name}`;
  input.name = `var_${name}`;
  input.type = "text";
  input.required = true;
  input.autocomplete = "off";
  input.dataset.variable = name;
  input.value = templateValues[name] || "";
  field.append(label, input);
  return field;
}

function typeFieldFor(name) {
  return document.querySelector(`[data-text-type]:not([hidden]) input[name="var_${name}"]`);
}

function syncTemplate() {
  for (const input of templateFields.querySelectorAll("input")) templateValues[input.dataset.variable] = input.value;
  const option = templateSelect.selectedOptions[0];
  const chosen = option && option.value ? option : null;
  if (chosen && chosen.dataset.textType && typeSelect.value !== chosen.dataset.textType) {
    typeSelect.value = chosen.dataset.textType;
    syncTextType();
syncTemplate();
  }
  const names = chosen ? chosen.dataset.variables.split(" ").filter(Boolean) : [];
  templateFields.replaceChildren(...names.filter((name) => !typeFieldFor(name)).map(variableField));
  templateBox.hidden = templateFields.children.length === 0;
}

function syncTextType() {
  const option = typeSelect.selectedOptions[0];
  $("recipient-label").textContent = option.dataset.recipientLabel;
  $("salutation-field").hidden = option.dataset.salutation !== "true";
  for (const field of document.querySelectorAll("[data-text-type]")) {
    field.hidden = field.dataset.textType !== typeSelect.value;
    for (const input of field.querySelectorAll("input")) input.disabled = field.hidden;
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const body = requestBody();
  const missing = !body.notes.trim() && !body.source_text.trim() && !body.template_id;
  $("notes").setAttribute("aria-invalid", missing ? "true" : "false");
  if (missing) {
    $("form-errors").replaceChildren();
    showError($("form-errors"), says("notesMissing"), false);
    $("notes").focus();
    return;
  }
  run("/api/v1/drafts", body, $("form-errors"), $("draft-status"));
});
for (const revise of document.querySelectorAll(".revise-form")) {
  revise.addEventListener("submit", (event) => {
    event.preventDefault();
    const preset = event.submitter && event.submitter.name === "preset" ? event.submitter.value : "";
    const instruction = preset || $("instruction").value;
    run(`/api/v1/drafts/${result.dataset.draft}/revisions`,
        { instruction, version: Number(result.dataset.version), model: modelSelect.value },
        $("draft-errors"), $("revise-status"));
  });
}
$("notes").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
});
$("copy-button").addEventListener("click", async () => {
  const paper = $("draft-paper");
  const copied = await copyText(paper.innerText, paper);
  $("copy-status").textContent = copied ? says("copied") : says("copySelected");
});
typeSelect.addEventListener("change", () => {
  syncTextType();
syncTemplate();
  const option = templateSelect.selectedOptions[0];
  if (option && option.dataset.textType && option.dataset.textType !== typeSelect.value) {
    templateSelect.value = "";  // the template is for another text type
  }
  syncTemplate();
});
templateSelect.addEventListener("change", syncTemplate);
modelSelect.addEventListener("change", () => {
  const demo = modelSelect.selectedOptions[0].dataset.demo === "true";
  if ($("demo-notice")) $("demo-notice").hidden = !demo;
});
syncTextType();
syncTemplate();
