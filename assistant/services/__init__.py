"""Services beside the engine: identifier detection, the audit log and feedback."""
