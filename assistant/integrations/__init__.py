"""Faces for other frameworks: the engine's passages and answers as LangChain components."""
