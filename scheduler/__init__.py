"""When things fall due: due-instant scans, the wake-up job and the send queue."""
