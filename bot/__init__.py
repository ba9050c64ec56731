"""Telegram adapter: handlers, texts, keyboards and the application wiring."""
