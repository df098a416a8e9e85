"""Logging that keeps tracebacks for real failures only.

nameko logs every exception a worker raises, with its traceback, even the ones an entrypoint
declares as expected (a 404, a 422). Those are the caller's mistakes: one line at INFO says
enough, and the log stays readable for the failures that matter.
"""
import logging


class _ExpectedErrorsInBrief(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith("(expected)"):
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.exc_info = None
            record.exc_text = None
        return True


def keep_expected_errors_brief() -> None:
    logger = logging.getLogger("nameko.containers")
    if not any(isinstance(f, _ExpectedErrorsInBrief) for f in logger.filters):
        logger.addFilter(_ExpectedErrorsInBrief())
