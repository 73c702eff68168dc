"""The four functions: chat, summarize, draft, research. Prompts live as files."""
