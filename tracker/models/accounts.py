"""Founder accounts, login throttling, and who made a change (a user or a tool)."""

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from sqlmodel import Field, SQLModel

from tracker.models.types import UTCDateTime, utcnow


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    password_hash: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Part of every login session and remember-me cookie; raising it ends them all.
    session_generation: int = Field(default=0, sa_column_kwargs={"server_default": "0"})

    # The user protocol of Flask-Login, written out so models stay free of Flask.
    is_active: ClassVar[bool] = True
    is_authenticated: ClassVar[bool] = True
    is_anonymous: ClassVar[bool] = False

    def get_id(self) -> str:
        """Return what Flask-Login keeps in the session and the remember-me cookie."""
        return f"{self.id}:{self.session_generation}"


class LoginAttempt(SQLModel, table=True):
    __tablename__ = "login_attempts"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    address: str = Field(max_length=64, index=True)
    succeeded: bool = False
    attempted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


@dataclass(frozen=True)
class Actor:
    """Who made a change: a user, or a label such as 'cli'.

    Not a table: milestone changes, pledge imports and published reports record its
    user_id and label in their own columns.
    """

    user_id: int | None = None
    label: str = ""
