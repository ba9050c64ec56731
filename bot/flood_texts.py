"""Words for a chat that sends faster than anyone can read: what the bot says when it stops
taking that chat's messages for a moment (``bot.overflow``)."""

from __future__ import annotations

from bot.i18n import _


def slow_down() -> str:
    return _(
        "That's a lot of messages at once, so I skipped some of them. "
        "Please send one message at a time and wait for my answer."
    )


def slow_down_press() -> str:
    """The short notice on a button pressed while the chat's backlog is full (a toast)."""
    return _("One moment, please — I'm still answering your earlier messages.")
