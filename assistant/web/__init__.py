"""The web face: a FastAPI server with the Gradio chat mounted on it.

- ``server``: the app, the sign-in page, one-time downloads, the HTTP API's routes, ``serve()``;
- ``security``: session cookie, sign-in gate, session-hash binding, upload guard, headers;
- ``api``: the HTTP API's contract (requests, answers, tokens, problem details);
- ``app``: the page's layout and the wiring of its events (the only Gradio module);
- ``handlers``: what each event does, as plain functions (tested without a browser);
- ``render``: HTML and Markdown of answers, sources and messages;
- ``startup``: preparing the index in the background; ``downloads``: one-time downloads.
"""
