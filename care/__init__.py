"""The application layer: one function per thing a person means to do, each one transaction.

A handler in ``bot`` parses the update, makes one call here through ``Store.run`` (so the call
runs on the database thread), and renders the small result it gets back. Functions here find the
person pressing (``care.people``), check what they may do, change the rows in a single
``write_transaction`` and say what happened, in codes and values: never Telegram, never words.
"""
