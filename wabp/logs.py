"""Logs without personal data: a filter on every handler that writes the log.

Error messages repeat what was stored: PostgreSQL's DETAIL line names the key or the whole
row ("Key (email)=(...) already exists", "Failing row contains (...)"), and a message may
hold an e-mail address. The filter drops DETAIL lines and masks addresses in the message,
the traceback and the stack.
"""

import logging
import re

EMAIL_ADDRESS = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
DETAIL_LINE = re.compile(r"^(\s*DETAIL:).*$", re.MULTILINE)


def redact(text: str) -> str:
    """`text` without DETAIL lines' content and without e-mail addresses."""
    return EMAIL_ADDRESS.sub("[e-mail]", DETAIL_LINE.sub(r"\1 [removed]", text))


class RedactPersonalData(logging.Filter):
    """Rewrite a record before any handler formats it (never drops one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: log what there is
            message = str(record.msg)
        record.msg, record.args = redact(message), ()
        if record.exc_info:
            # Rendered here, so no formatter renders the original again.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
