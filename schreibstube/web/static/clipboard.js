// Copy text to the clipboard with the Clipboard API. Browsers offer it only in a "secure
// context" (HTTPS or localhost); on a plain-HTTP intranet host the element's text is selected
// instead, so the user can press Ctrl+C. Returns true when the text was copied.
export async function copyText(text, element) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (error) { /* permission refused: fall back to selecting */ }
  }
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  return false;
}
