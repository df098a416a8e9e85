"""A check the unit tests' platform runs on every message it carries: the contracts' plain
functions (shared/contracts/plain.py) load and dump exactly what marshmallow does."""
from marshmallow import EXCLUDE

from shared.contracts import contract_for


def same_as_marshmallow(application, messages) -> None:
    """Each message as the producer's log gave it (dumped by the plain path) equals marshmallow's
    dump of the same recorded event, and loads through both paths to equal data. The plain path
    must have been taken: a valid message that falls back to marshmallow would hide its cost."""
    if not messages:
        return
    notifications = application.recorder.select_notifications(
        start=messages[0].id, limit=len(messages))
    for message, notification in zip(messages, notifications, strict=True):
        terms = contract_for(message.event)
        schema = terms._instance()
        values = dict(vars(application.mapper.to_domain_event(notification)))
        values[terms.subject] = notification.originator_id
        assert message.data == schema.dump(values), message.event
        plain = terms.plain_loader(EXCLUDE)
        assert plain is not None, f"{message.event}: no plain loader"
        assert plain(message.data) == schema.load(message.data, unknown=EXCLUDE), message.event
