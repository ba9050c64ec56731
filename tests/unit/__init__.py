"""Unit tests for pure logic."""
