"""The Slack bot: `/cos <command>` over the same use cases as the REST API (see bot.py)."""
