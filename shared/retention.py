"""Command schemas of the archive's retention acts: the dossiers due for a disposal decision,
legal holds and disposals (the other commands are in shared/commands.py)."""
from shared.commands import Command, Paging
from shared.contracts.values import text


class DisposalsDue(Paging):
    """Sealed dossiers past their retention date, not disposed of, oldest date first."""


class RetentionAct(Command):
    """A legal hold placed or released, or a disposal: always with the reason, which the
    event keeps."""
    reason = text(2000, multiline=True, required=True, metadata={
        "description": "why (e.g. the court's or the agency's reference); kept in the event"})

