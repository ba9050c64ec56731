"""Pure domain core of LDN Companion: plans, doses, time rules, screening.

Standard library only: no Telegram, no SQL, no clock reads (``now`` is always passed in).
"""
