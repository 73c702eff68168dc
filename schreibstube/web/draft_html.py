"""A draft's Markdown-light body -> HTML, escaped throughout.

Drafts use a tiny fixed subset of Markdown (see ``assistants/drafting/draft.py``), and line
breaks inside a paragraph matter (address blocks, closing formula and name). So instead of the
general Markdown renderer, the same block parser the exports use renders them: headings,
paragraphs with ``<br>``, bullet lists and ``**bold**`` — every piece of text escaped, no other
markup possible. The draft title is an ``h3`` (the page's ``h2`` is "Ihr Entwurf"); section
headings follow as ``h4``/``h5``.
"""

from __future__ import annotations

from html import escape

from schreibstube.assistants.drafting.draft import inline_runs, parse_blocks


def draft_html(title: str, text: str) -> str:
    parts = [f'<h3 class="draft-title">{escape(title)}</h3>'] if title else []
    for block in parse_blocks(text):
        if block.kind == "heading":
            level = block.level + 2
            parts.append(f"<h{level}>{_inline(block.text)}</h{level}>")
        elif block.kind == "bullets":
            items = "".join(f"<li>{_inline(item)}</li>" for item in block.items)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append("<p>" + "<br>".join(_inline(line) for line in block.text.split("\n")) + "</p>")
    return "\n".join(parts)


def _inline(line: str) -> str:
    return "".join(f"<strong>{escape(chunk)}</strong>" if bold else escape(chunk)
                   for chunk, bold in inline_runs(line))
