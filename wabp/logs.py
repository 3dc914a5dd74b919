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


# One line per request and per task --------------------------------------------------------

request_logger = logging.getLogger("wabp.request")
task_logger = logging.getLogger("wabp.task")


def log_request(request, response, duration: float) -> None:
    """`request method=GET route=groups:detail path=/... status=200 duration_ms=12`: the
    path without its query string and with mailed links' keys masked; no IP, no user."""
    from wabp.access_log import mask_path

    match = getattr(request, "resolver_match", None)
    request_logger.info(
        "request method=%s route=%s path=%s status=%s duration_ms=%d",
        request.method,
        match.view_name if match else "-",
        mask_path(request.path_info),
        response.status_code,
        duration * 1000,
    )


def log_task_finished(sender, task_result, **kwargs) -> None:
    """`task name=... id=... outcome=SUCCESSFUL duration_ms=...`; never the arguments."""
    started, finished = task_result.started_at, task_result.finished_at
    duration = (finished - started).total_seconds() * 1000 if started and finished else 0
    task_logger.info(
        "task name=%s id=%s outcome=%s duration_ms=%d attempts=%s",
        task_result.task.module_path,
        task_result.id,
        task_result.status,
        duration,
        task_result.attempts,
    )


class OneLinePerTask(logging.Filter):
    """Drop Django's own "Task ... state=RUNNING/SUCCESSFUL" lines (`db_worker` sets their
    level itself): log_task_finished writes the one line; a failure's traceback stays."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name == "django.tasks" and record.levelno < logging.WARNING)
