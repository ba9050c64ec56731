"""Fault-injection suite (issue #4): Telegram errors, crashes, a blocked loop, DST, a full disk,
a locked database, duplicate updates and a suite-wide log scan.

Every test is marked ``faults``; heavy variants are also ``slow`` and run only with
``--run-slow`` (or ``LDN_FULL_FAULTS=1``).
"""
