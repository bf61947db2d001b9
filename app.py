"""Entry point of the web app: ``python app.py`` serves the assistant on http://127.0.0.1:7860.

GRADIO_SERVER_NAME and GRADIO_SERVER_PORT change the address; every other setting comes
from the ``ASSISTANT_*`` variables (see assistant/config.py). Nothing heavy happens at
import; the index is prepared in the background once the server starts.
"""

from __future__ import annotations

import os
import sys

# Offline by design: no model hub, no telemetry, no Gradio analytics.
for _name, _value in (
    ("HF_HUB_OFFLINE", "1"),
    ("TRANSFORMERS_OFFLINE", "1"),
    ("ANONYMIZED_TELEMETRY", "False"),
    ("GRADIO_ANALYTICS_ENABLED", "False"),
):
    os.environ.setdefault(_name, _value)

from assistant.config import Settings  # noqa: E402
from assistant.errors import ConfigurationError  # noqa: E402


def main() -> None:
    try:
        settings = Settings.from_env()
        from assistant.web.server import serve

        serve(
            settings,
            host=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"),
            port=int(os.environ.get("GRADIO_SERVER_PORT", "7860")),
        )
    except ConfigurationError as exc:
        sys.exit(f"error: {exc}")


if __name__ == "__main__":
    main()
