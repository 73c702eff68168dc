"""Context budget: check every prompt before it is sent, trim chat history to fit.

The budget is ``prompt tokens + max output tokens <= context length``. Chat history is
trimmed oldest-first (the system prompt and the newest user turn always stay); if even those
do not fit, :class:`~schreibstube.errors.ContextOverflow` says by how much.
"""

from __future__ import annotations

from schreibstube.errors import ContextOverflow
from schreibstube.llm.base import Message, Model


def output_budget(model: Model, requested: int | None) -> int:
    return min(requested or model.config.max_output_tokens, model.config.max_output_tokens)


def check_budget(model: Model, messages: list[Message], max_tokens: int) -> int:
    """Return the prompt token count or raise ContextOverflow."""
    needed = model.count_prompt_tokens(messages)
    limit = model.config.context_length - max_tokens
    if needed > limit:
        raise ContextOverflow(needed=needed, limit=limit, model=model.config.label)
    return needed


def fit_history(model: Model, messages: list[Message], max_tokens: int) -> list[Message]:
    """Drop the oldest non-system turns until the prompt fits; keep the newest message."""
    system = [m for m in messages if m.role == "system"]
    turns = [m for m in messages if m.role != "system"]
    limit = model.config.context_length - max_tokens
    while len(turns) > 1 and model.count_prompt_tokens(system + turns) > limit:
        turns = turns[1:]
        while len(turns) > 1 and turns[0].role != "user":
            turns = turns[1:]
    fitted = system + turns
    check_budget(model, fitted, max_tokens)
    return fitted
