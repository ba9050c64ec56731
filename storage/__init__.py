"""SQLite storage: connection, migrations and repository functions."""
