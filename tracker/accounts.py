"""Founder accounts: registration, password checks and login throttling."""

from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, or_, select
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.errors import InvalidInput
from tracker.models import LoginAttempt, User, utcnow

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
EMAIL_TAKEN = "An account with this email already exists."


def normalize_email(email: str) -> str:
    """Return the email in the form we store, or raise InvalidInput."""
    try:
        info = validate_email((email or "").strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidInput({"email": str(error)}) from None
    return info.normalized.lower()


def find_user(session: Session, email: str) -> User | None:
    """Return the user with this email, if any."""
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


def create_user(session: Session, *, email: str, password: str) -> User:
    """Register a founder with a hashed password."""
    errors = {}
    try:
        email = normalize_email(email)
    except InvalidInput as error:
        errors.update(error.errors)
    if len(password or "") < MIN_PASSWORD_LENGTH:
        errors["password"] = f"Use at least {MIN_PASSWORD_LENGTH} characters."
    elif len(password) > MAX_PASSWORD_LENGTH:
        errors["password"] = f"Use at most {MAX_PASSWORD_LENGTH} characters."
    if "email" not in errors and find_user(session, email):
        errors["email"] = EMAIL_TAKEN
    if errors:
        raise InvalidInput(errors)
    user = User(email=email, password_hash=generate_password_hash(password))
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        # A parallel registration took the email after our check. The failed flush has
        # ended the transaction; roll it back so the caller can still render the refusal.
        session.rollback()
        if find_user(session, email):
            raise InvalidInput({"email": EMAIL_TAKEN}) from None
        raise
    return user


def is_throttled(
    session: Session,
    *,
    email: str,
    address: str,
    max_failures: int,
    window: timedelta,
    now: datetime | None = None,
) -> bool:
    """Tell whether too many logins failed lately for this email or from this address."""
    since = (now or utcnow()) - window
    failures = session.exec(
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.attempted_at >= since, LoginAttempt.succeeded.is_(False))
        .where(or_(LoginAttempt.email == email.strip().lower(), LoginAttempt.address == address))
    ).one()
    return failures >= max_failures


def authenticate(session: Session, *, email: str, password: str, address: str) -> User | None:
    """Check the credentials, record the attempt and return the user on success."""
    user = find_user(session, email)
    ok = user is not None and check_password_hash(user.password_hash, password)
    session.add(LoginAttempt(email=email.strip().lower()[:254], address=address[:64], succeeded=ok))
    session.flush()
    return user if ok else None
