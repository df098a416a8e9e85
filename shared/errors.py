"""Errors a service raises for its callers; they cross RPC as themselves (nameko registry)."""
from nameko.exceptions import deserialize_to_instance

from shared.field_messages import codes_of, restored


@deserialize_to_instance
class NotFound(LookupError):
    pass


class _Explained(Exception):
    """An error with a sentence for a person and ``details`` for a program (``args[1]``, so it
    survives nameko's serialisation)."""

    def __init__(self, message: str, details: dict | None = None):
        super().__init__(message, details or {})

    @property
    def details(self) -> dict:
        return self.args[1]


@deserialize_to_instance
class Conflict(_Explained):
    """The command does not fit what is stored (a wrong state, a duplicate); the details say
    what is there (e.g. the current status)."""


@deserialize_to_instance
class InsufficientData(_Explained):
    """Too little data to do what was asked (grade a period with too few cases); the details
    say how much there is and how much is needed."""


@deserialize_to_instance
class Disposed(_Explained):
    """What was asked of is gone for good, by a recorded act (a dossier disposed of at the end
    of its retention); the details say when, by whom and why."""


@deserialize_to_instance
class Forbidden(_Explained):
    """The caller may not do this to this resource; the details may say what would be needed."""


@deserialize_to_instance
class Invalid(ValueError):
    """The command's data broke a rule; ``args[1]`` maps fields to messages when known.

    A field's message is a ``FieldMessage`` (shared/field_messages.py): its English crosses RPC
    as text, and ``args[2]`` carries the codes beside it, from which the other side makes the
    field messages again, for the gateway to word in the reader's language."""

    def __init__(self, message: str, fields: dict | None = None, codes: dict | None = None):
        fields = restored(fields or {}, codes) if codes is not None else (fields or {})
        super().__init__(message, fields, codes_of(fields))

    @property
    def fields(self) -> dict:
        return self.args[1]


@deserialize_to_instance
class Unsupported(_Explained):
    """A kind of content the platform does not accept (an upload's media type); the details
    name it and what is accepted."""


@deserialize_to_instance
class Unauthenticated(_Explained):
    """Credentials that sign nobody in: a wrong password, an unknown name, a disabled account,
    an ended session. The message is the same for each, so an answer never tells which names
    exist; ``details["reason"]`` is one of a few codes that reveal no more."""


@deserialize_to_instance
class TooManyAttempts(_Explained):
    """Too many failures in a row; ``details["retry_after"]``: seconds until trying is allowed."""


#: What a caller did wrong, as opposed to what went wrong here: logged without a traceback.
@deserialize_to_instance
class Unavailable(_Explained):
    """A system the platform relies on did not answer (a broker's management API): the caller
    may try again later; the details name it."""


CLIENT_ERRORS = (NotFound, Conflict, Forbidden, Invalid, InsufficientData, Unauthenticated,
                 TooManyAttempts, Unsupported, Disposed, Unavailable)
