"""HTTP layer: thin routes, templates, static files, SSE, security headers."""
