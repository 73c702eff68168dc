"""Recherchieren: collections, grounded answers with verified page-level quotes.

``collections``  the service for collections and their documents (permission gate inside)
``prompting``    retrieved passages -> a prompt that treats them as untrusted data
``quotes``       parsing citations from the answer and verifying each quote on its page
``answer``       retrieve -> prompt -> stream -> verify -> result (or the plain refusal)
"""
