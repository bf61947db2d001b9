"""Documents: from a file to clean text with structure, then to chunks (no index, no model).

- ``loaders``: PDF (pypdf; scanned pages through ``ocr``), DOCX, Markdown, HTML and text, checked by content;
- ``ocr``: Tesseract on pages without a text layer;
- ``cleaning``: Symbol-font bullets, broken lines, hyphenation, running headers and page furniture;
- ``chunking``: chunks of whole sentences and table rows, within the model's window, with their section;
- ``isolation``: each file parsed in a child process with time and memory limits;
- ``stamp``: the digest of the parsing code each indexed document records (a new one re-parses it).
"""
