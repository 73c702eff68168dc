// Minimal SSE-over-fetch reader (EventSource cannot POST); body is JSON-able or FormData. Shared by all streaming pages.
// Calls onEvent(kind, data) for each "event:/data:" block; comment lines (heartbeats) are ignored.
export async function postStream(url, body, onEvent) {
  const isForm = body instanceof FormData;
  const headers = { "Accept": "text/event-stream" };
  if (!isForm) headers["Content-Type"] = "application/json";
  const response = await fetch(url, { method: "POST", headers, body: isForm ? body : JSON.stringify(body) });
  if (!response.ok) {
    let message = response.statusText;
    try { message = (await response.json()).error.message; } catch (e) { /* keep statusText */ }
    throw new Error(message);
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let kind = "message", data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) kind = line.slice(7);
        else if (line.startsWith("data: ")) data += line.slice(6);
      }
      if (data) onEvent(kind, JSON.parse(data));
    }
  }
}
