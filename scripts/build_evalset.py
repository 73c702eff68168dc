"""Build ``eval/laws-de/corpus.jsonl`` from the law Markdown files in ``shared/data/laws``.

One corpus document per paragraph (``§ N``), per Grundgesetz article (``Art N``) and per annex
(``Anlage N``). The files come from a Markdown mirror of the federal law database; headings sit at
different levels per law (``##`` in the IFG, ``####`` or ``#####`` in the BDSG), so the level is
ignored. A document's body runs until the next heading that is not a sub-heading of an annex.

Text is normalised so that the output is stable and readable: hard line wraps inside a block are
joined, blocks are separated by one newline; Markdown images, footnote marks and backslash escapes
are dropped. Paragraphs without text (repealed ``(weggefallen)``, only a dash, or only a bracketed
note such as ``(Inkrafttreten)``) are skipped. Same input, byte-identical output.

The questions (``queries.jsonl``) and judgements (``qrels.tsv``) are written by hand and are not
generated here; see ``eval/laws-de/README.md``.

    python scripts/build_evalset.py [--laws ../shared/data/laws] [--out eval/laws-de]
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

LAW_ORDER = ("gg", "vwvfg", "bdsg_2018", "bgg", "bitv_2_0", "ifg", "egovg", "ozg")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*$")
UNIT = re.compile(r"^(?P<kind>§|Art|Anlage)\s+(?P<num>\d+[a-z]?)\b\s*(?P<title>.*)$")
ANNEX_PART = re.compile(r"^Teil \d+$")
MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|\[\^[^\]]*\]:?")  # images, footnote marks
MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+.!-])")
CONJUNCTIONS = {"und", "oder", "bis", "sowie", "als"}
PLACEHOLDER = re.compile(r"^(-|\([^()]*\))?$")  # "", "-", "(weggefallen)", "(Inkrafttreten)"


@dataclass(frozen=True)
class Unit:
    doc_id: str
    title: str
    text: str


def read_header(lines: list[str]) -> dict[str, str]:
    """The small YAML header between the first two ``---`` lines (flat ``key: value`` only)."""
    header: dict[str, str] = {}
    if not lines or lines[0].strip() != "---":
        return header
    for line in lines[1:]:
        if line.strip() == "---":
            break
        key, _, value = line.partition(":")
        header[key.strip()] = value.strip()
    return header


def join_wrapped(lines: list[str]) -> str:
    """Join hard-wrapped lines. A line ending in a hyphen ("öffentlich-" / "rechtliche") is
    joined without a space, unless the next word is a conjunction ("Bundes-" / "und Landes...")."""
    out = ""
    for line in lines:
        if out.endswith("-") and out[-2:-1].isalpha() and line.split()[0] not in CONJUNCTIONS:
            out += line
        else:
            out = f"{out} {line}" if out else line
    return re.sub(r"\s+", " ", out)


def normalise(body: list[str]) -> str:
    """Join wrapped lines within blocks; one block per output line; drop Markdown images,
    footnote marks and backslash escapes ("12\\.10.2018")."""
    blocks, current = [], []
    for line in [*body, ""]:
        line = MD_ESCAPE.sub(r"\1", MD_IMAGE.sub("", line)).strip()
        if line and line != "* *":
            current.append(line)
        elif not line and current:
            blocks.append(join_wrapped(current))
            current = []
    return "\n".join(blocks).strip()


def units(path: Path) -> Iterator[Unit]:
    lines = path.read_text(encoding="utf-8").splitlines()
    header = read_header(lines)
    slug, abbrev = header.get("slug", path.stem), header.get("jurabk", path.stem.upper())
    abbrev = abbrev.removesuffix(" 2018")  # "BDSG 2018" is cited as "BDSG"
    current: re.Match[str] | None = None
    body: list[str] = []

    def flush() -> Iterator[Unit]:
        text = normalise(body)
        if current is not None and not PLACEHOLDER.match(text):
            kind, num, title = current["kind"], current["num"], current["title"].strip()
            doc_id = f"{slug}-{'anlage-' if kind == 'Anlage' else ''}{num}"
            yield Unit(doc_id, " ".join(filter(None, [abbrev, kind, num, title])), text)

    for line in lines:
        heading = HEADING.match(line)
        if heading is None:
            body.append(line)
            continue
        if current is not None and current["kind"] == "Anlage" and ANNEX_PART.match(heading[1]):
            body.extend(["", heading[1] + ":", ""])
            continue
        yield from flush()
        current, body = UNIT.match(heading[1]), []
    yield from flush()


def build(laws_dir: Path) -> list[Unit]:
    out: list[Unit] = []
    for slug in LAW_ORDER:
        out.extend(units(laws_dir / f"{slug}.md"))
    ids = [u.doc_id for u in out]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise SystemExit(f"duplicate corpus ids: {sorted(duplicates)}")
    return out


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--laws", type=Path, default=root.parent / "shared" / "data" / "laws")
    parser.add_argument("--out", type=Path, default=root / "eval" / "laws-de")
    args = parser.parse_args()
    corpus = build(args.laws)
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "corpus.jsonl").open("w", encoding="utf-8", newline="\n") as f:
        for u in corpus:
            record = {"_id": u.doc_id, "title": u.title, "text": u.text}
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {len(corpus)} documents to {args.out / 'corpus.jsonl'}")


if __name__ == "__main__":
    main()
