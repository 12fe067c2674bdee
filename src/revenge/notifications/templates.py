"""Body templates of custom webhooks: sandboxed Jinja2 that must render JSON.

The template sees `event` (id, type, title, message, data, occurred_at) and renders the
request body; `tojson` quotes values safely. The sandbox refuses attribute tricks that
reach Python internals, and a template is checked when it is saved (syntax, and that it
renders valid JSON for a sample event), so a broken one never fails at send time.
"""

from __future__ import annotations

import json

from jinja2 import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from revenge.notifications.events import NotificationEvent

_ENV = ImmutableSandboxedEnvironment(autoescape=False, trim_blocks=True, lstrip_blocks=True)
MAX_BODY_BYTES = 256 * 1024

SAMPLE = NotificationEvent(
    "item.added",
    "3 new episodes of Severance",
    "3 new episodes of Severance",
    {"library_id": "00000000-0000-0000-0000-000000000000", "library": "TV", "count": 3,
     "groups": [{"kind": "episode", "title": "Severance", "count": 3, "items": []}]},
)  # fmt: skip


class TemplateInvalid(ValueError):
    """The template does not compile, or does not render a JSON document."""


def render(template: str, event: NotificationEvent) -> bytes:
    """The request body for `event`; raises TemplateInvalid."""
    try:
        text = _ENV.from_string(template).render(event=event.to_json())
    except TemplateError as exc:
        raise TemplateInvalid(f"template error: {exc}") from None
    body = text.encode()
    if len(body) > MAX_BODY_BYTES:
        raise TemplateInvalid(f"the rendered body is larger than {MAX_BODY_BYTES} bytes")
    try:
        json.loads(body)
    except ValueError as exc:
        raise TemplateInvalid(f"the template does not render JSON: {exc}") from None
    return body


def check(template: str) -> None:
    """Raise TemplateInvalid unless the template renders JSON for a sample event."""
    render(template, SAMPLE)
