"""Test suite: unit tests for the core, end-to-end tests over the local Bot API emulator."""
