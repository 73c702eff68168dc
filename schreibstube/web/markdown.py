"""Model output -> sanitised HTML.

Markdown is rendered with markdown-it (CommonMark + tables, raw HTML disabled) and then
cleaned by nh3 with an allow-list. Images are removed entirely (an ``<img>`` would make the
browser fetch an external URL the model chose); links stay clickable but get
``rel="noopener noreferrer nofollow"`` and are never fetched automatically.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_md.disable("image")

TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em",
    "code", "pre", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "a", "del",
}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}


def render(text: str) -> str:
    html = _md.render(text)
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
