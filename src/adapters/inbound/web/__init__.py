"""The browser dashboard: a static page served by the service itself at `/` (no build step)."""
