"""Founder accounts: registration and password checks."""

from functools import cache

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.accounts.login_throttle import record_attempt
from tracker.errors import InvalidInput
from tracker.models import User
from tracker.validation import is_ascii_digits, parse_optional_id

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
EMAIL_TAKEN = "An account with this email already exists."


def normalize_email(email: str) -> str:
    """Return the email in the form we store, or raise InvalidInput."""
    # Imported here: email_validator loads its IDNA and Unicode tables, which every
    # process would pay at startup; only sign-ups and logins check an address.
    from email_validator import EmailNotValidError, validate_email

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
    if reason := password_problem(password):
        errors["password"] = reason
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


def password_problem(password: str | None) -> str | None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters."
    return None


def set_password(session: Session, user: User, password: str) -> None:
    """Give the user a new password and end every session opened with the old one."""
    if reason := password_problem(password):
        raise InvalidInput({"password": reason})
    user.password_hash = generate_password_hash(password)
    end_sessions(session, user)


def end_sessions(session: Session, user: User) -> None:
    """End every login session and remember-me cookie of the user, on every device."""
    # In SQL, so two logouts at once both count.
    user.session_generation = User.session_generation + 1
    session.add(user)
    session.flush()


def user_for_session(session: Session, session_id: str) -> User | None:
    """Return the user a login session names, unless its sessions were ended since."""
    user_part, _, generation = (session_id or "").partition(":")
    user_id = parse_optional_id(user_part)
    if user_id is None or not is_ascii_digits(generation):
        return None
    user = session.get(User, user_id)
    if user is None or str(user.session_generation) != generation:
        return None
    return user


def authenticate(session: Session, *, email: str, password: str, address: str) -> User | None:
    """Check the credentials, record the attempt and return the user on success."""
    user = find_user(session, email)
    # An unknown email costs the same hashing as a wrong password: timing tells nothing.
    stored = user.password_hash if user is not None else _dummy_hash()
    ok = check_password_hash(stored, password) and user is not None
    record_attempt(session, email=email, address=address, succeeded=ok)
    return user if ok else None


@cache
def _dummy_hash() -> str:
    return generate_password_hash("no account has this password")
