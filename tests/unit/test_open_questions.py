"""An open question is noted for the update being handled only, and kept nowhere after it."""

from __future__ import annotations

import asyncio

from bot.conversation import OpenQuestions


async def test_a_note_is_seen_within_its_update_and_forgotten_after_it() -> None:
    questions = OpenQuestions()
    seen: list[str | None] = []

    async def update(person: int) -> None:  # each update is handled in a task of its own
        questions.note(person, "zone")
        await asyncio.sleep(0)  # another person's update runs meanwhile
        seen.append(questions.of(person))
        seen.append(questions.of(person + 1))  # never someone else's

    await asyncio.gather(*(asyncio.create_task(update(p)) for p in range(0, 2000, 2)))
    assert seen == ["zone", None] * 1000
    # Nothing is left for any of the 1,000 people once their updates are done (a dict by
    # Telegram id kept each of them for the life of the process).
    assert all(questions.of(person) is None for person in range(0, 2000, 2))
