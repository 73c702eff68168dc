"""Zusammenfassen: faithful summaries of documents with stated coverage.

``options``  what the user chose (length, style, form, focus, language), validated
``sources``  documents -> numbered source pages (the unit of coverage and citation)
``plan``     pages -> batches that fit the model's context, in document order
``service``  direct or hierarchical map-reduce with bounded concurrency; events for progress
``links``    page markers "[S. 3]" in model output -> checked page references
"""
