"""The web face: the browser chat, its handlers and rendering, and the server around it."""
