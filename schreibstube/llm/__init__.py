"""The model abstraction and its providers (embedded, OpenAI-compatible/Azure, scripted)."""
