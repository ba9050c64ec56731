"""One module per feature; each registers nothing itself (see bot.app)."""
