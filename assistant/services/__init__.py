"""Services beside the engine: each owns one concern and knows nothing of the faces.

- ``privacy``: identifying details (presidio pattern recognisers, given names as data);
- ``audit``: who asked (a keyed pseudonym), when, and which documents were cited;
- ``feedback``: practitioners' ratings and comments, stored redacted;
- ``uploads``: checking and storing uploaded documents, and the ones pending;
- ``auth``: accounts, throttled sign-in and server-side sessions.
"""
