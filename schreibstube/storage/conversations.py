"""Repository for conversations and their messages. Scoped through ``storage.scope``."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from schreibstube.errors import NotFound
from schreibstube.storage.scope import owned_by
from schreibstube.storage.tables import ChatMessage, Conversation, utcnow
from schreibstube.tenants.identity import CurrentUser


def create(session: Session, *, user: CurrentUser, model: str, title: str = "") -> Conversation:
    conv = Conversation(tenant_id=user.tenant_id, user_id=user.user_id, model=model, title=title)
    session.add(conv)
    session.flush()
    return conv


def get(session: Session, conversation_id: str, *, user: CurrentUser) -> Conversation:
    stmt = owned_by(select(Conversation), Conversation, user=user)
    conv = session.scalar(stmt.where(Conversation.id == conversation_id))
    if conv is None:
        raise NotFound("Die Unterhaltung wurde nicht gefunden oder wurde gelöscht.")
    return conv


def list_for(session: Session, *, user: CurrentUser, limit: int = 200) -> list[Conversation]:
    stmt = owned_by(select(Conversation), Conversation, user=user)
    stmt = stmt.order_by(Conversation.updated_at.desc()).limit(limit)
    return list(session.scalars(stmt))


def messages(session: Session, conversation_id: str, *, user: CurrentUser) -> list[ChatMessage]:
    stmt = owned_by(select(ChatMessage), ChatMessage, user=user)
    stmt = stmt.where(ChatMessage.conversation_id == conversation_id)
    stmt = stmt.order_by(ChatMessage.seq, ChatMessage.created_at)
    return list(session.scalars(stmt))


def add_turn(
    session: Session, conv: Conversation, *, user: CurrentUser, question: str, model: str,
    last_seq: int,
) -> ChatMessage:
    """Store a user question and the empty answer it awaits, in one flush; return the answer.

    ``last_seq`` is the highest ``seq`` the caller has read in this transaction (0 for none):
    a chat turn has just loaded the history, so no second query is needed. Two turns sent at
    the same moment into one conversation (two browser tabs) may share ``seq`` values, as
    with any read-then-insert; ``messages`` then orders them by creation time.
    """
    common = {"tenant_id": user.tenant_id, "user_id": user.user_id, "conversation_id": conv.id,
              "meta": {}}
    session.add(ChatMessage(seq=last_seq + 1, role="user", content=question, status="complete", **common))
    answer = ChatMessage(seq=last_seq + 2, role="assistant", content="", status="streaming", model=model,
                         **common)
    session.add(answer)
    conv.updated_at = utcnow()
    session.flush()
    return answer


def get_message(session: Session, message_id: str, *, user: CurrentUser) -> ChatMessage:
    stmt = owned_by(select(ChatMessage), ChatMessage, user=user)
    msg = session.scalar(stmt.where(ChatMessage.id == message_id))
    if msg is None:
        raise NotFound()
    return msg


def delete_one(session: Session, conversation_id: str, *, user: CurrentUser) -> None:
    conv = get(session, conversation_id, user=user)
    session.execute(delete(ChatMessage).where(ChatMessage.conversation_id == conv.id))
    session.delete(conv)


def delete_all(session: Session, *, user: CurrentUser) -> int:
    ids = [c.id for c in list_for(session, user=user, limit=100_000)]
    if ids:
        session.execute(delete(ChatMessage).where(ChatMessage.conversation_id.in_(ids)))
        session.execute(delete(Conversation).where(Conversation.id.in_(ids)))
    return len(ids)
