// Zusammenfassen: upload + options -> streamed progress and result with page sources.
import { postStream } from "/static/sse-client.js";

const form = document.getElementById("summary-form");
const button = document.getElementById("summarize");
const progressArea = document.getElementById("progress-area");
const progress = document.getElementById("progress");
const progressText = document.getElementById("progress-text");
const fileErrors = document.getElementById("file-errors");
const result = document.getElementById("result");
const summary = document.getElementById("summary");
const coverage = document.getElementById("coverage");
const sources = document.getElementById("sources");
const announcer = document.getElementById("announcer");
const download = document.getElementById("download");
let markdown = "";

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function showProgress(data) {
  const d = form.dataset;
  if (data.phase === "read") { progressText.textContent = `${d.reading} ${data.file}`; progress.removeAttribute("value"); }
  else if (data.phase === "map") {
    progress.max = data.total; progress.value = data.done;
    progressText.textContent = d.parts.replace("{done}", data.done).replace("{total}", data.total);
  } else { progressText.textContent = d.final; progress.removeAttribute("value"); }
}

// "S." for printed pages, "Abschn." for sections of pasted text and page-less formats.
function unit(source) {
  return source.logical ? form.dataset.section : form.dataset.page;
}

function showSources(data) {
  sources.replaceChildren();
  if (!data.sources.length) sources.append(el("p", "", form.dataset.noSources));
  for (const src of data.sources) {
    const details = el("details", "citation");
    details.id = `quelle-${src.ref}`;
    details.append(el("summary", "", `${src.document}, ${unit(src)} ${src.page}`));
    details.append(el("pre", "page-text", src.text));
    sources.append(details);
  }
  // One line per summary paragraph that names the pages it came from, linking to the page text.
  data.paragraphs.forEach((para, index) => {
    if (!para.pages.length) return;
    const line = el("p", "para-sources", `${form.dataset.source} (${index + 1}): `);
    para.pages.forEach((page, i) => {
      const link = el("a", "", `${page.document} ${unit(page)} ${page.page}`);
      link.href = `#quelle-${page.ref}`;
      link.addEventListener("click", () => { document.getElementById(`quelle-${page.ref}`).open = true; });
      if (i) line.append(", ");
      line.append(link);
    });
    summary.append(line);
  });
}

function finish(data) {
  summary.classList.remove("streaming-text");
  summary.innerHTML = data.html;  // sanitised on the server
  coverage.textContent = data.coverage;
  markdown = `${data.text}\n\n${data.coverage}\n\nKI-generiert – bitte fachlich prüfen.\n`;
  download.href = URL.createObjectURL(new Blob([markdown], { type: "text/markdown" }));
  showSources(data);
  announcer.textContent = `${form.dataset.ready} ${data.coverage}`;
}

function showError(message, partials) {
  const item = el("li", "error-box", message);
  fileErrors.append(item);
  if (partials && partials.length) {
    result.hidden = false;
    summary.textContent = partials.join("\n\n");
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  button.disabled = true;
  fileErrors.replaceChildren();
  result.hidden = true; summary.textContent = ""; summary.classList.add("streaming-text");
  progressArea.hidden = false;
  try {
    await postStream("/api/v1/summaries", new FormData(form), (kind, data) => {
      if (kind === "progress") showProgress(data);
      else if (kind === "plan") coverage.textContent = data.coverage;
      else if (kind === "file_error" || kind === "warning") fileErrors.append(el("li", kind === "warning" ? "notice" : "error-box", data.message));
      else if (kind === "delta") { result.hidden = false; summary.textContent += data.text; }
      else if (kind === "done") { result.hidden = false; finish(data); }
      else if (kind === "error") showError(data.message, data.partials);
    });
  } catch (error) {
    showError(error.message);
  } finally {
    progressArea.hidden = true;
    button.disabled = false;
  }
});

document.getElementById("copy").addEventListener("click", () => navigator.clipboard.writeText(markdown));
document.getElementById("model").addEventListener("change", (e) => {
  const notice = document.getElementById("demo-notice");
  if (notice) notice.hidden = e.target.options[e.target.selectedIndex].dataset.demo !== "true";
});
