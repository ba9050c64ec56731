"""End-to-end tests: the real application against the local Bot API emulator."""
