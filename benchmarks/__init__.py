"""Performance benchmarks for LDN Companion: ``python -m benchmarks.run`` (see README.md here).

Modules stay import-light on purpose: the start-up benchmark times a fresh interpreter, so
nothing here imports python-telegram-bot until a module that needs it does.
"""
