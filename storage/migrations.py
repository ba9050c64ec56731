"""Numbered schema migrations, applied at start-up (each in one transaction with its record).

Times are stored as UTC: instants that are scanned (``due_at``) as integer Unix seconds so the
due-scan is a cheap indexed range query; others as ISO 8601 text. Doses are decimal text ("1.5").
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("ldn")

_INITIAL = (
    """
    CREATE TABLE patients (
        id INTEGER PRIMARY KEY,
        telegram_id INTEGER NOT NULL UNIQUE,
        chat_id INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'onboarding'
            CHECK (status IN ('onboarding', 'active', 'paused', 'not_started')),
        onboarding_step TEXT,
        stop_reason TEXT,
        consent_version TEXT NOT NULL,
        consent_at TEXT NOT NULL,
        consent_text_sha256 TEXT NOT NULL,
        screening TEXT NOT NULL DEFAULT '{}',
        draft TEXT NOT NULL DEFAULT '{}',
        zone TEXT,
        bedtime TEXT,
        current_dose_mg TEXT,
        current_dose_since TEXT,
        step_offer TEXT NOT NULL DEFAULT 'none'
            CHECK (step_offer IN ('none', 'offered', 'held')),
        step_offer_after INTEGER NOT NULL DEFAULT 0,
        unreachable_since TEXT,
        unreachable_reason TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE plans (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL UNIQUE REFERENCES patients(id) ON DELETE CASCADE,
        start_mg TEXT NOT NULL,
        step_mg TEXT NOT NULL,
        interval_days INTEGER NOT NULL,
        target_mg TEXT NOT NULL,
        source TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE dose_changes (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        dose_mg TEXT NOT NULL,
        effective_day TEXT NOT NULL,
        reason TEXT NOT NULL,
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE INDEX dose_changes_patient ON dose_changes(patient_id, effective_day)
    """,
    """
    CREATE TABLE dose_events (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        dose_day TEXT NOT NULL,
        scheduled_at INTEGER NOT NULL,
        dose_mg TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'taken', 'late', 'skipped', 'missed')),
        missed_reason TEXT,
        reminder_late INTEGER NOT NULL DEFAULT 0,
        answered_at TEXT,
        UNIQUE (patient_id, dose_day)
    )
    """,
    """
    CREATE TABLE due_tasks (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('reminder', 'snooze', 'nudge', 'close')),
        dose_day TEXT NOT NULL,
        due_at INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending'
            CHECK (state IN ('pending', 'sending', 'sent', 'done', 'not_sent', 'cancelled')),
        attempts INTEGER NOT NULL DEFAULT 0,
        message_id INTEGER,
        finished_at TEXT,
        UNIQUE (patient_id, dose_day, kind)
    )
    """,
    """
    CREATE INDEX due_tasks_pending ON due_tasks(due_at) WHERE state = 'pending'
    """,
    """
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor_telegram_id INTEGER,
        actor_role TEXT NOT NULL,
        action TEXT NOT NULL,
        target_patient_id INTEGER,
        detail TEXT NOT NULL DEFAULT ''
    )
    """,
    """
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
    """,
    """
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
    """,
    """
    CREATE TABLE processed_updates (
        update_id INTEGER PRIMARY KEY,
        seen_at INTEGER NOT NULL
    )
    """,
)


@MIGRATIONS(name="0001_initial")
def initial(db: Database) -> None:
    """Patients, plans, dose changes, dose events, due tasks, the audit log."""
    for statement in _INITIAL:
        db.execute(statement)


_CHECKINS = (
    "ALTER TABLE patients ADD COLUMN checkin_time TEXT NOT NULL DEFAULT '09:00'",
    """
    CREATE TABLE checkins (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        day TEXT NOT NULL,
        dose_mg TEXT NOT NULL,
        plan_step INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'open'
            CHECK (status IN ('open', 'answered', 'expired')),
        draft TEXT NOT NULL DEFAULT '{}',
        effects TEXT NOT NULL DEFAULT '{}',
        other_text TEXT,
        asked_at TEXT NOT NULL,
        answered_at TEXT,
        UNIQUE (patient_id, day)
    )
    """,
    """
    CREATE TABLE benefit_ratings (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        day TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('baseline', 'weekly')),
        dose_mg TEXT,
        plan_step INTEGER,
        pain INTEGER, sleep INTEGER, fatigue INTEGER, mood INTEGER, fog INTEGER,
        answered_at TEXT,
        UNIQUE (patient_id, day, kind)
    )
    """,
    """
    CREATE TABLE suggestions (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        effect TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('persistent', 'severe')),
        episode_start TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        UNIQUE (patient_id, effect, kind, episode_start)
    )
    """,
    """
    CREATE TABLE rules (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by INTEGER
    )
    """,
    # due_tasks gains the 'checkin' kind; SQLite cannot alter a CHECK, so the table is rebuilt.
    """
    CREATE TABLE due_tasks_new (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('reminder', 'snooze', 'nudge', 'close', 'checkin')),
        dose_day TEXT NOT NULL,
        due_at INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending'
            CHECK (state IN ('pending', 'sending', 'sent', 'done', 'not_sent', 'cancelled')),
        attempts INTEGER NOT NULL DEFAULT 0,
        message_id INTEGER,
        finished_at TEXT,
        UNIQUE (patient_id, dose_day, kind)
    )
    """,
    "INSERT INTO due_tasks_new SELECT * FROM due_tasks",
    "DROP TABLE due_tasks",
    "ALTER TABLE due_tasks_new RENAME TO due_tasks",
    "CREATE INDEX due_tasks_pending ON due_tasks(due_at) WHERE state = 'pending'",
)


@MIGRATIONS(name="0002_checkins")
def checkins(db: Database) -> None:
    """Morning check-ins, benefit ratings, sent suggestions, clinic rules; 'checkin' tasks."""
    for statement in _CHECKINS:
        db.execute(statement)


@MIGRATIONS(name="0003_language")
def language(db: Database) -> None:
    """The language each person reads (``en`` or ``de``), chosen at /start, changed in /settings."""
    db.execute("ALTER TABLE patients ADD COLUMN language TEXT NOT NULL DEFAULT 'en'")


_ERASURE_MARKER = """
    CREATE TABLE erasure_in_progress (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        patient_id INTEGER,
        telegram_id INTEGER NOT NULL
    )
"""
# While an erasure runs (inside its one transaction) the marker's single row names the person;
# it is empty at every other moment. Only audit rows naming that person may be deleted meanwhile.
_ERASURE_TRIGGER = """
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        WHEN NOT EXISTS (
            SELECT 1 FROM erasure_in_progress AS e
            WHERE e.patient_id = old.target_patient_id OR e.telegram_id = old.actor_telegram_id
        )
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
"""


@MIGRATIONS(name="0004_erasure")
def erasure(db: Database) -> None:
    """/forget may remove the person's own audit entries (and only theirs, and only then); the
    log stays append-only for everything else and never allows an UPDATE.

    Earlier erasures deleted the patient's rows but kept their audit entries, ending with a
    ``data.deleted`` entry naming them: those entries (everything up to it naming that Telegram
    id or patient id) go now, and an anonymous trace with the day takes the place of each.
    """
    db.execute(_ERASURE_MARKER)
    db.execute("DROP TRIGGER audit_log_no_delete")
    earlier = db.execute(
        "SELECT id, substr(at, 1, 10), actor_telegram_id, target_patient_id FROM audit_log "
        "WHERE action = 'data.deleted' AND actor_telegram_id IS NOT NULL ORDER BY id"
    ).fetchall()
    for entry_id, _, telegram_id, patient_id in earlier:
        db.execute(
            "DELETE FROM audit_log WHERE id <= ? AND "
            "(actor_telegram_id = ? OR target_patient_id = ?)",
            [entry_id, telegram_id, patient_id],
        )
    for _, day, _, _ in earlier:
        db.execute(
            "INSERT INTO audit_log (at, actor_telegram_id, actor_role, action, "
            "target_patient_id, detail) VALUES (?, NULL, 'patient', 'data.deleted', NULL, '')",
            [day],
        )
    db.execute(_ERASURE_TRIGGER)


_CAREGIVERS = (
    # A caregiver: someone a patient invited, with their own zone and language. The same Telegram
    # user may also be a patient: the two roles are separate rows and never mixed.
    """
    CREATE TABLE caregivers (
        id INTEGER PRIMARY KEY,
        telegram_id INTEGER NOT NULL UNIQUE,
        chat_id INTEGER NOT NULL,
        name TEXT NOT NULL,
        zone_name TEXT,
        language TEXT NOT NULL DEFAULT 'en',
        step TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    # A one-time invitation: only the SHA-256 of its code is kept.
    """
    CREATE TABLE care_invites (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        code_sha256 TEXT NOT NULL UNIQUE,
        scope TEXT NOT NULL CHECK (scope IN ('adherence', 'full')),
        patient_name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at TEXT
    )
    """,
    # What one caregiver sees of one patient, from the patient's [Allow] until either ends it.
    """
    CREATE TABLE care_links (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        caregiver_id INTEGER NOT NULL REFERENCES caregivers(id) ON DELETE CASCADE,
        invite_id INTEGER REFERENCES care_invites(id) ON DELETE SET NULL,
        scope TEXT NOT NULL CHECK (scope IN ('adherence', 'full')),
        status TEXT NOT NULL DEFAULT 'opened'
            CHECK (status IN ('opened', 'awaiting_patient', 'active', 'refused', 'ended')),
        patient_name TEXT NOT NULL,
        summaries TEXT NOT NULL DEFAULT 'weekly' CHECK (summaries IN ('weekly', 'daily', 'off')),
        missed_alert_after INTEGER DEFAULT 2
            CHECK (missed_alert_after IS NULL OR missed_alert_after BETWEEN 1 AND 7),
        created_at TEXT NOT NULL,
        agreed_at TEXT,
        allowed_at TEXT,
        ended_at TEXT
    )
    """,
    # One live link per (patient, caregiver); ended and refused ones stay as history until /forget.
    """
    CREATE UNIQUE INDEX care_links_live ON care_links(patient_id, caregiver_id)
        WHERE status IN ('opened', 'awaiting_patient', 'active')
    """,
    "CREATE INDEX care_links_caregiver ON care_links(caregiver_id)",
    "CREATE INDEX care_invites_patient ON care_invites(patient_id)",
    # Invite codes that did not fit, per person, in the current hour: guessing is rate-limited.
    """
    CREATE TABLE care_code_attempts (
        telegram_id INTEGER PRIMARY KEY,
        window_started INTEGER NOT NULL,
        failures INTEGER NOT NULL
    )
    """,
)


@MIGRATIONS(name="0005_caregivers")
def caregivers(db: Database) -> None:
    """Caregivers, the patient's one-time invitations, and the consented links between them."""
    for statement in _CAREGIVERS:
        db.execute(statement)


@MIGRATIONS(name="0006_staff")
def staff(db: Database) -> None:
    """Clinic staff: who is an admin now (granted in chat, by the CLI, or from ``ADMIN_IDS``).
    Who granted or revoked it, and when, is in the audit log."""
    db.execute(
        """
        CREATE TABLE staff (
            telegram_id INTEGER PRIMARY KEY,
            role TEXT NOT NULL CHECK (role IN ('admin')),
            granted_at TEXT NOT NULL
        )
        """
    )


_CAREGIVER_TASKS = (
    # A caregiver's summary or alert, due at one instant: rows in the same wake-up as the
    # patients' tasks. ``period`` is the summary's last local day (the caregiver's) or the
    # alert's event ("missed:2026-12-01", "severe:headache:2026-12-02"): one row per (link, kind,
    # period) is what makes each summary and each alert go out once.
    """
    CREATE TABLE care_tasks (
        id INTEGER PRIMARY KEY,
        link_id INTEGER NOT NULL REFERENCES care_links(id) ON DELETE CASCADE,
        kind TEXT NOT NULL
            CHECK (kind IN ('summary', 'missed', 'suggestion', 'severe', 'urgent', 'opioid')),
        period TEXT NOT NULL,
        due_at INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending'
            CHECK (state IN ('pending', 'sending', 'sent', 'done', 'not_sent', 'cancelled')),
        attempts INTEGER NOT NULL DEFAULT 0,
        message_id INTEGER,
        acknowledged_at TEXT,
        finished_at TEXT,
        UNIQUE (link_id, kind, period)
    )
    """,
    "CREATE INDEX care_tasks_due ON care_tasks(due_at) WHERE state = 'pending'",
    # A link that stops being active takes its pending rows with it, whoever ends it and however.
    """
    CREATE TRIGGER care_tasks_link_ended AFTER UPDATE OF status ON care_links
    WHEN NEW.status != 'active'
    BEGIN
        DELETE FROM care_tasks WHERE link_id = NEW.id AND state IN ('pending', 'sending');
    END
    """,
)


@MIGRATIONS(name="0007_caregiver_tasks")
def caregiver_tasks(db: Database) -> None:
    """Caregivers' summaries and alerts as due rows, keyed by link and period."""
    for statement in _CAREGIVER_TASKS:
        db.execute(statement)


_SAFETY = (
    # A patient said they take an opioid now (the safety scan's [Yes]): reminders were paused.
    # ``substance`` is the generic's code ("tramadol"), never the words typed. ``resolved_at``:
    # when the patient confirmed on /resume that they may take LDN again. Read by the clinic and
    # caregivers (``storage.safety.events``).
    """
    CREATE TABLE safety_events (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('opioid_taken')),
        substance TEXT,
        reported_at TEXT NOT NULL,
        resolved_at TEXT
    )
    """,
    "CREATE INDEX safety_events_patient ON safety_events(patient_id, reported_at)",
)


@MIGRATIONS(name="0008_safety")
def safety(db: Database) -> None:
    """Safety events reported in free text (an opioid taken now), for the clinic and caregivers."""
    for statement in _SAFETY:
        db.execute(statement)


_CLINIC = (
    # A clinic's plan template. ``plan`` is the plan in ``titration.templates`` notation (the
    # formula or a step list); ``version`` counts edits, and a patient's plan records the
    # template and version it was copied from, so an edit never changes a running plan.
    """
    CREATE TABLE plan_templates (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        plan TEXT NOT NULL,
        form TEXT NOT NULL DEFAULT 'capsule' CHECK (form IN ('capsule', 'liquid')),
        mg_per_ml TEXT,
        bedtime TEXT NOT NULL DEFAULT '22:00',
        checkin_time TEXT NOT NULL DEFAULT '09:00',
        nudge_minutes INTEGER,  -- NULL: the clinic's rule
        status TEXT NOT NULL DEFAULT 'active'
            CHECK (status IN ('unconfirmed', 'active', 'retired')),
        version INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    # A clinic enrolment link per template: only the SHA-256 of its code is kept.
    """
    CREATE TABLE enrol_links (
        id INTEGER PRIMARY KEY,
        template_id INTEGER NOT NULL REFERENCES plan_templates(id) ON DELETE CASCADE,
        code_sha256 TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        revoked_at TEXT
    )
    """,
    # A plan's explicit steps (empty: the linear formula), the template it was copied from (and
    # which version), and that template's nudge delay.
    "ALTER TABLE plans ADD COLUMN steps TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE plans ADD COLUMN template_id INTEGER REFERENCES plan_templates(id)",
    "ALTER TABLE plans ADD COLUMN template_version INTEGER",
    "ALTER TABLE plans ADD COLUMN nudge_minutes INTEGER",
    "CREATE INDEX plans_template ON plans(template_id) WHERE template_id IS NOT NULL",
)


@MIGRATIONS(name="0009_clinic")
def clinic(db: Database) -> None:
    """Plan templates, clinic enrolment links, explicit step lists in plans."""
    for statement in _CLINIC:
        db.execute(statement)


_ADMIN = (
    # Who an admin action was about when it is a person rather than a patient record (a grant or
    # revoke names a Telegram id), and the value before → after a change (a dose, a time).
    "ALTER TABLE audit_log ADD COLUMN target_telegram_id INTEGER",
    "ALTER TABLE audit_log ADD COLUMN before TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE audit_log ADD COLUMN after TEXT NOT NULL DEFAULT ''",
    "CREATE INDEX audit_log_at ON audit_log(at)",
    "CREATE INDEX audit_log_person ON audit_log(target_telegram_id) "
    "WHERE target_telegram_id IS NOT NULL",
    # The reason the clinic gave for a dose change (typed by staff; the patient is told it).
    "ALTER TABLE dose_changes ADD COLUMN note TEXT",
    # An admin's open question (a typed dose, reason, time or zone for one patient) and the value
    # waiting for [Confirm]. One per admin; gone with the patient, or when answered or cancelled.
    """
    CREATE TABLE admin_questions (
        telegram_id INTEGER PRIMARY KEY,
        step TEXT NOT NULL,
        patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        action TEXT NOT NULL,
        value TEXT,
        reason TEXT,
        updated_at TEXT NOT NULL
    )
    """,
)


# /forget may also remove the entries that name the person as the target of a grant or revoke.
_ERASURE_TRIGGER_WITH_PERSON_TARGET = """
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        WHEN NOT EXISTS (
            SELECT 1 FROM erasure_in_progress AS e
            WHERE e.patient_id = old.target_patient_id OR e.telegram_id = old.actor_telegram_id
                OR e.telegram_id = old.target_telegram_id
        )
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
"""


@MIGRATIONS(name="0010_admin")
def admin(db: Database) -> None:
    """Clinic staff at work: before → after and a person target in the audit, the clinic's
    reason for a dose change, and each admin's open question."""
    for statement in _ADMIN:
        db.execute(statement)
    db.execute("DROP TRIGGER audit_log_no_delete")
    db.execute(_ERASURE_TRIGGER_WITH_PERSON_TARGET)


_UNDO = (
    # A night corrected afterwards (issue 12 item 4): when, and what it said before (a status
    # code). The status column holds what the night says now.
    "ALTER TABLE dose_events ADD COLUMN corrected_at TEXT",
    "ALTER TABLE dose_events ADD COLUMN corrected_from TEXT",
)


@MIGRATIONS(name="0011_undo")
def undo(db: Database) -> None:
    """Nights corrected afterwards: when, and the status before."""
    for statement in _UNDO:
        db.execute(statement)


_MORNING = (
    # When the patient takes LDN: NULL at bedtime, else the morning's local "HH:MM".
    "ALTER TABLE patients ADD COLUMN dose_time TEXT",
    # The form of their LDN: capsule, tablet or liquid; a liquid's concentration in mg/ml.
    "ALTER TABLE patients ADD COLUMN dose_form TEXT NOT NULL DEFAULT 'capsule'",
    "ALTER TABLE patients ADD COLUMN mg_per_ml TEXT",
)


@MIGRATIONS(name="0012_morning")
def morning(db: Database) -> None:
    """A morning dose time and the dose form (issue 12 items 5 and 6)."""
    for statement in _MORNING:
        db.execute(statement)


_SUPPLY = (
    # A patient's LDN on hand (issue 12 item 7): optional, no row = not tracked. ``on_hand`` in
    # ``unit`` (capsules, or ml of a liquid) as decimal text; which notices went out for it
    # (about 7 days left, the last of it, a dose taken from an empty count).
    """
    CREATE TABLE supplies (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL UNIQUE REFERENCES patients(id) ON DELETE CASCADE,
        unit TEXT NOT NULL CHECK (unit IN ('capsule', 'ml')),
        on_hand TEXT NOT NULL,
        reorder_told INTEGER NOT NULL DEFAULT 0,
        empty_told INTEGER NOT NULL DEFAULT 0,
        check_told INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
    )
    """,
    # What each taken dose took from the supply, so an undo or correction gives back exactly it.
    """
    CREATE TABLE supply_uses (
        event_id INTEGER PRIMARY KEY REFERENCES dose_events(id) ON DELETE CASCADE,
        patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        amount TEXT NOT NULL
    )
    """,
    "CREATE INDEX supply_uses_patient ON supply_uses (patient_id)",
)


@MIGRATIONS(name="0013_supply")
def supply(db: Database) -> None:
    """The supply on hand and what each dose took from it (issue 12 item 7)."""
    for statement in _SUPPLY:
        db.execute(statement)


_CLINIC_FOLLOWUPS = (
    # Safety events gain the urgent signs a patient wrote of (an allergic reaction, liver
    # trouble), so the clinic's "needs attention" sees them. ``sign`` is the sign's code
    # ("allergy", "liver"), never the words typed. SQLite cannot widen a CHECK in place: the
    # table is copied (nothing references it).
    """
    CREATE TABLE safety_events_new (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('opioid_taken', 'urgent_sign')),
        substance TEXT,
        sign TEXT,
        reported_at TEXT NOT NULL,
        resolved_at TEXT
    )
    """,
    "INSERT INTO safety_events_new (id, patient_id, kind, substance, reported_at, resolved_at) "
    "SELECT id, patient_id, kind, substance, reported_at, resolved_at FROM safety_events",
    "DROP TABLE safety_events",
    "ALTER TABLE safety_events_new RENAME TO safety_events",
    "CREATE INDEX safety_events_patient ON safety_events(patient_id, reported_at)",
)


@MIGRATIONS(name="0015_clinic_followups")
def clinic_followups(db: Database) -> None:
    """Urgent signs recorded as safety events, for the clinic's overview."""
    for statement in _CLINIC_FOLLOWUPS:
        db.execute(statement)


@MIGRATIONS(name="0016_staff_language")
def staff_language(db: Database) -> None:
    """The language an admin's Telegram app last showed (alerts to the clinic are in it)."""
    db.execute("ALTER TABLE staff ADD COLUMN language TEXT NOT NULL DEFAULT 'en'")
