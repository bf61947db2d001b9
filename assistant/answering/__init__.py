"""Answering a question from passages (plain values in, plain values out).

- ``question``: what kind of fact a question asks for, its terms, follow-ups, parts.
- ``extractive``: the grounded default answerer (sentence selection and abstention).
- ``verification``: checks every sentence of a language model's answer against its citations.
- ``llm``: the optional language model through LangChain.
"""
