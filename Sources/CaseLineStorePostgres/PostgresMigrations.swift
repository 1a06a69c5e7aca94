import Foundation

/// The PostgreSQL schema, as named migrations that never change once shipped (new needs get new migrations),
/// each a list of single statements. Nodes starting together migrate once: the whole run holds a
/// transaction-scoped advisory lock, and a node that waited for it finds the migrations applied.
///
/// The schema mirrors the SQLite store's, column for column, so that the two backends read alike and
/// `store copy` moves rows as they are; times stay the text `Timestamp.format` writes (the audit hash covers that
/// text). What SQLite checked by reading first, PostgreSQL states as constraints.
enum PostgresMigrations {
    static let lockKey: Int64 = 0x4361_4C69_6E65_0001  // "CaLine", 1: migrations

    static let all: [(name: String, statements: [String])] = [
        (
            "v1-schema",
            [
                // Exclusion constraints over (commune, login) and a date range need btree_gist's equality on text.
                "CREATE EXTENSION IF NOT EXISTS btree_gist",
                // Days are kept as 'YYYY-MM-DD' text, as in SQLite; this reads one as a date. make_date and the
                // integer casts are immutable, so it can stand in an index or a constraint (a text::date cast
                // depends on DateStyle and cannot).
                """
                CREATE FUNCTION caseline_day(text) RETURNS date LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
                $$ SELECT make_date(substr($1, 1, 4)::int, substr($1, 6, 2)::int, substr($1, 9, 2)::int) $$
                """,
                """
                CREATE FUNCTION caseline_append_only() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$
                """,
                """
                CREATE TABLE users (
                    login TEXT PRIMARY KEY CHECK (length(login) BETWEEN 1 AND 64),
                    name TEXT NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('admin','chair','deputy','officer','staff','auditor')),
                    scope TEXT NOT NULL,
                    email TEXT,
                    phone TEXT,
                    disabled BOOLEAN NOT NULL DEFAULT false,
                    must_change_password BOOLEAN NOT NULL DEFAULT false,
                    cert_fingerprint TEXT UNIQUE,
                    password_hash TEXT NOT NULL,
                    revision BIGINT NOT NULL DEFAULT 1,
                    created TEXT NOT NULL,
                    last_login TEXT,
                    disabled_reason TEXT
                )
                """,
                "CREATE TABLE login_failure (name TEXT PRIMARY KEY, count BIGINT NOT NULL, last TEXT NOT NULL)",
                """
                CREATE TABLE login_lock (
                    name TEXT NOT NULL,
                    address TEXT NOT NULL,
                    failures BIGINT NOT NULL,
                    last TEXT NOT NULL,
                    locked_until TEXT,
                    PRIMARY KEY (name, address)
                )
                """,
                """
                CREATE TABLE api_token (
                    id BIGSERIAL PRIMARY KEY,
                    owner TEXT NOT NULL REFERENCES users(login),
                    label TEXT NOT NULL,
                    secret_hash TEXT NOT NULL UNIQUE,
                    secret_prefix TEXT NOT NULL,
                    created TEXT NOT NULL,
                    expires TEXT,
                    revoked TEXT,
                    last_used TEXT
                )
                """,
                "CREATE INDEX api_token_owner ON api_token(owner)",
                // The journal: the audit chain's head and the last event number, one row, locked by every
                // transaction that appends (PostgresStore's note).
                """
                CREATE TABLE journal (
                    id INT PRIMARY KEY CHECK (id = 1),
                    audit_seq BIGINT NOT NULL,
                    audit_hash TEXT NOT NULL,
                    event_seq BIGINT NOT NULL,
                    events_dropped_through BIGINT NOT NULL
                )
                """,
                "INSERT INTO journal VALUES (1, 0, '', 0, 0)",
                """
                CREATE TABLE audit (
                    seq BIGINT PRIMARY KEY,
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    on_behalf_of TEXT,
                    connection TEXT NOT NULL,
                    command TEXT NOT NULL,
                    entity TEXT NOT NULL,
                    change TEXT NOT NULL,
                    hash TEXT NOT NULL
                )
                """,
                "CREATE INDEX audit_entity ON audit(entity, seq)",
                "CREATE INDEX audit_actor ON audit(actor)",
                """
                CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
                    FOR EACH ROW EXECUTE FUNCTION caseline_append_only()
                """,
                """
                CREATE TABLE unit (
                    edition TEXT NOT NULL CHECK (edition IN ('2025','legacy')),
                    code TEXT NOT NULL,
                    type TEXT NOT NULL,
                    name TEXT NOT NULL,
                    short_name TEXT NOT NULL,
                    parent TEXT,
                    province TEXT,
                    lat DOUBLE PRECISION,
                    lon DOUBLE PRECISION,
                    area_km2 DOUBLE PRECISION,
                    PRIMARY KEY (edition, code)
                )
                """,
                """
                CREATE TABLE unit_link (
                    legacy_code TEXT NOT NULL,
                    current_code TEXT NOT NULL,
                    split BOOLEAN NOT NULL,
                    is_primary BOOLEAN NOT NULL,
                    PRIMARY KEY (legacy_code, current_code)
                )
                """,
                """
                CREATE TABLE committee (
                    id BIGSERIAL PRIMARY KEY,
                    unit TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    decision TEXT NOT NULL,
                    decided TEXT NOT NULL,
                    created TEXT NOT NULL,
                    revision BIGINT NOT NULL DEFAULT 1
                )
                """,
                """
                CREATE TABLE committee_member (
                    id BIGSERIAL PRIMARY KEY,
                    committee BIGINT NOT NULL REFERENCES committee(id),
                    login TEXT NOT NULL REFERENCES users(login),
                    position TEXT NOT NULL CHECK (position IN ('chair','deputy','standing','member')),
                    since TEXT NOT NULL,
                    ended TEXT
                )
                """,
                // One current seat per member, one current chair per committee.
                """
                CREATE UNIQUE INDEX committee_member_seat ON committee_member(committee, login)
                    WHERE ended IS NULL
                """,
                """
                CREATE UNIQUE INDEX committee_member_chair ON committee_member(committee)
                    WHERE ended IS NULL AND position = 'chair'
                """,
                "CREATE INDEX committee_member_login ON committee_member(login)",
                // An assignment runs over [from_day, until_day): at most one lead of a commune at any day, and one
                // assignment of a member per commune at any day; the ranges are what the store's checks compare.
                """
                CREATE TABLE assignment (
                    id BIGSERIAL PRIMARY KEY,
                    commune TEXT NOT NULL,
                    login TEXT NOT NULL REFERENCES users(login),
                    role TEXT NOT NULL CHECK (role IN ('lead','support')),
                    from_day TEXT NOT NULL,
                    until_day TEXT CHECK (until_day IS NULL OR until_day >= from_day),
                    decision TEXT NOT NULL,
                    committee BIGINT NOT NULL REFERENCES committee(id),
                    end_reason TEXT,
                    created TEXT NOT NULL,
                    revision BIGINT NOT NULL DEFAULT 1,
                    CONSTRAINT assignment_one_lead EXCLUDE USING gist (
                        commune WITH =,
                        daterange(caseline_day(from_day), caseline_day(until_day), '[)') WITH &&
                    ) WHERE (role = 'lead'),
                    CONSTRAINT assignment_one_per_member EXCLUDE USING gist (
                        commune WITH =, login WITH =,
                        daterange(caseline_day(from_day), caseline_day(until_day), '[)') WITH &&
                    )
                )
                """,
                "CREATE INDEX assignment_login ON assignment(login)",
                """
                CREATE TABLE idempotency (
                    login TEXT NOT NULL,
                    key TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    entity TEXT NOT NULL,
                    created TEXT NOT NULL,
                    PRIMARY KEY (login, key)
                )
                """,
                """
                CREATE TABLE task (
                    id BIGSERIAL PRIMARY KEY,
                    commune TEXT NOT NULL,
                    title TEXT NOT NULL,
                    description TEXT,
                    state TEXT NOT NULL CHECK (state IN
                        ('new','assigned','inprogress','blocked','submitted','done','returned','cancelled')),
                    reason TEXT,
                    component TEXT,
                    assignee TEXT REFERENCES users(login),
                    due TEXT,
                    priority TEXT NOT NULL CHECK (priority IN ('low','normal','high','urgent')),
                    creator TEXT NOT NULL REFERENCES users(login),
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    revision BIGINT NOT NULL DEFAULT 1,
                    comment_count BIGINT NOT NULL DEFAULT 0
                )
                """,
                "CREATE INDEX task_commune ON task(commune)",
                "CREATE INDEX task_assignee ON task(assignee)",
                """
                CREATE TABLE task_transition (
                    id BIGSERIAL PRIMARY KEY,
                    task BIGINT NOT NULL REFERENCES task(id),
                    from_state TEXT NOT NULL,
                    to_state TEXT NOT NULL,
                    by TEXT NOT NULL,
                    at TEXT NOT NULL,
                    reason TEXT
                )
                """,
                "CREATE INDEX task_transition_task ON task_transition(task)",
                """
                CREATE TABLE task_comment (
                    id BIGSERIAL PRIMARY KEY,
                    task BIGINT NOT NULL REFERENCES task(id),
                    author TEXT NOT NULL,
                    at TEXT NOT NULL,
                    text TEXT NOT NULL
                )
                """,
                "CREATE INDEX task_comment_task ON task_comment(task)",
                """
                CREATE TRIGGER task_comment_append_only BEFORE UPDATE OR DELETE ON task_comment
                    FOR EACH ROW EXECUTE FUNCTION caseline_append_only()
                """,
                """
                CREATE TABLE case_file (
                    id BIGSERIAL PRIMARY KEY,
                    kind TEXT NOT NULL,
                    commune TEXT NOT NULL,
                    title TEXT NOT NULL,
                    description TEXT,
                    state TEXT NOT NULL CHECK (state IN ('draft','submitted','approved','rejected','returned')),
                    amount BIGINT CHECK (amount IS NULL OR amount >= 0),
                    funding TEXT NOT NULL DEFAULT '[]',
                    households TEXT NOT NULL DEFAULT '[]',
                    documents TEXT NOT NULL DEFAULT '[]',
                    creator TEXT NOT NULL REFERENCES users(login),
                    submitter TEXT,
                    submitters TEXT NOT NULL DEFAULT '[]',
                    editors TEXT NOT NULL DEFAULT '[]',
                    submitted_at TEXT,
                    waiting_since TEXT,
                    decided_at TEXT,
                    round BIGINT NOT NULL DEFAULT 0,
                    chain TEXT NOT NULL DEFAULT '',
                    step BIGINT NOT NULL DEFAULT 0,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    revision BIGINT NOT NULL DEFAULT 1
                )
                """,
                "CREATE INDEX case_file_commune ON case_file(commune)",
                "CREATE INDEX case_file_state ON case_file(state)",
                """
                CREATE TABLE case_step (
                    case_id BIGINT NOT NULL REFERENCES case_file(id),
                    round BIGINT NOT NULL,
                    n BIGINT NOT NULL,
                    step TEXT NOT NULL,
                    state TEXT NOT NULL,
                    waiting_since TEXT,
                    by TEXT,
                    on_behalf_of TEXT,
                    delegation TEXT,
                    at TEXT,
                    note TEXT,
                    reason TEXT,
                    PRIMARY KEY (case_id, round, n)
                )
                """,
                """
                CREATE TABLE approval_chain (
                    kind TEXT PRIMARY KEY,
                    steps TEXT NOT NULL,
                    updated_by TEXT,
                    updated_at TEXT,
                    revision BIGINT NOT NULL DEFAULT 1
                )
                """,
                """
                CREATE TABLE delegation (
                    id BIGSERIAL PRIMARY KEY,
                    delegator TEXT NOT NULL REFERENCES users(login),
                    delegate TEXT NOT NULL REFERENCES users(login),
                    from_day TEXT NOT NULL,
                    until_day TEXT NOT NULL CHECK (until_day >= from_day),
                    note TEXT,
                    created_at TEXT NOT NULL,
                    ended_at TEXT,
                    ended_by TEXT,
                    revision BIGINT NOT NULL DEFAULT 1
                )
                """,
                "CREATE INDEX delegation_delegator ON delegation(delegator)",
                """
                CREATE TABLE household (
                    id BIGSERIAL PRIMARY KEY,
                    commune TEXT NOT NULL,
                    village TEXT NOT NULL CHECK (length(trim(village)) > 0),
                    area TEXT NOT NULL CHECK (area IN ('rural','urban')),
                    head TEXT NOT NULL CHECK (length(trim(head)) > 0),
                    gender TEXT NOT NULL CHECK (gender IN ('male','female')),
                    birth TEXT NOT NULL,
                    ethnicity TEXT,
                    id_number TEXT UNIQUE,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    revision BIGINT NOT NULL DEFAULT 1
                )
                """,
                "CREATE INDEX household_commune ON household(commune)",
                """
                CREATE TABLE person (
                    id BIGSERIAL PRIMARY KEY,
                    household BIGINT NOT NULL REFERENCES household(id),
                    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
                    gender TEXT NOT NULL CHECK (gender IN ('male','female')),
                    birth TEXT NOT NULL,
                    relation TEXT NOT NULL CHECK (length(trim(relation)) > 0),
                    removed_at TEXT,
                    removed_reason TEXT
                )
                """,
                "CREATE INDEX person_household ON person(household)",
                """
                CREATE TABLE assessment (
                    household BIGINT NOT NULL REFERENCES household(id),
                    year BIGINT NOT NULL,
                    standard TEXT NOT NULL,
                    income BIGINT NOT NULL CHECK (income >= 0),
                    area TEXT NOT NULL CHECK (area IN ('rural','urban')),
                    income_line BIGINT NOT NULL,
                    deprived TEXT NOT NULL,
                    deprivations BIGINT NOT NULL CHECK (deprivations BETWEEN 0 AND 12),
                    class TEXT NOT NULL CHECK (class IN ('poor','near-poor','escaped','average')),
                    previous_class TEXT,
                    by TEXT NOT NULL,
                    at TEXT NOT NULL,
                    PRIMARY KEY (household, year)
                )
                """,
                "CREATE INDEX assessment_year ON assessment(year)",
                """
                CREATE TABLE event (
                    seq BIGINT PRIMARY KEY,
                    at TEXT NOT NULL,
                    type TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    on_behalf_of TEXT,
                    province TEXT,
                    commune TEXT,
                    case_id TEXT,
                    details TEXT NOT NULL,
                    concerns TEXT NOT NULL
                )
                """,
                "CREATE INDEX event_at ON event(at)",
                // One row per deadline event raised, so that each is raised once, by whichever node gets there.
                """
                CREATE TABLE deadline_notice (
                    task BIGINT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('soon','overdue')),
                    due TEXT NOT NULL,
                    event BIGINT,
                    PRIMARY KEY (task, kind, due)
                )
                """,
            ]
        ),
        (
            "v2-reviews-offices-member-profile-imports",
            [
                // A review campaign is the machine's state kept whole (body, JSON) beside the columns its rules
                // and selections need; the partial unique indexes are the rules: one periodic review per commune
                // and year, one ad-hoc review per commune and review day.
                """
                CREATE TABLE review_campaign (
                    id BIGSERIAL PRIMARY KEY,
                    commune TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('periodic','ad-hoc')),
                    review_year BIGINT NOT NULL,
                    list_year BIGINT NOT NULL,
                    review_start TEXT NOT NULL,
                    stage TEXT NOT NULL,
                    revision BIGINT NOT NULL CHECK (revision >= 1),
                    body TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                )
                """,
                """
                CREATE UNIQUE INDEX review_campaign_periodic ON review_campaign(commune, review_year)
                    WHERE kind = 'periodic'
                """,
                """
                CREATE UNIQUE INDEX review_campaign_ad_hoc ON review_campaign(commune, review_start)
                    WHERE kind = 'ad-hoc'
                """,
                // Decided assessments and certificates are append-only.
                """
                CREATE TABLE review_assessment (
                    household TEXT NOT NULL,
                    campaign TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    review_year BIGINT NOT NULL,
                    list_year BIGINT NOT NULL,
                    commune TEXT NOT NULL,
                    village TEXT NOT NULL,
                    class TEXT NOT NULL CHECK (class IN ('poor','near-poor','average-living','none')),
                    decision_date TEXT NOT NULL,
                    persons BIGINT,
                    body TEXT NOT NULL,
                    recorded_at TEXT NOT NULL,
                    PRIMARY KEY (household, campaign)
                )
                """,
                "CREATE INDEX review_assessment_list ON review_assessment(commune, list_year)",
                """
                CREATE TRIGGER review_assessment_append_only BEFORE UPDATE OR DELETE ON review_assessment
                    FOR EACH ROW EXECUTE FUNCTION caseline_append_only()
                """,
                // `issue_order` keeps the order certificates were issued in (SQLite's rowid).
                """
                CREATE TABLE poverty_certificate (
                    commune TEXT NOT NULL,
                    issue_year BIGINT NOT NULL,
                    seq BIGINT NOT NULL CHECK (seq >= 1),
                    household TEXT NOT NULL,
                    campaign TEXT NOT NULL,
                    list_year BIGINT NOT NULL,
                    class TEXT NOT NULL,
                    issued TEXT NOT NULL,
                    body TEXT NOT NULL,
                    issue_order BIGSERIAL NOT NULL,
                    PRIMARY KEY (commune, issue_year, seq)
                )
                """,
                "CREATE INDEX poverty_certificate_campaign ON poverty_certificate(campaign)",
                """
                CREATE TRIGGER poverty_certificate_append_only BEFORE UPDATE OR DELETE ON poverty_certificate
                    FOR EACH ROW EXECUTE FUNCTION caseline_append_only()
                """,
                """
                CREATE TABLE office_holding (
                    id BIGSERIAL PRIMARY KEY,
                    unit TEXT NOT NULL,
                    login TEXT NOT NULL,
                    body TEXT NOT NULL,
                    created_at TEXT NOT NULL
                )
                """,
                "CREATE INDEX office_holding_unit ON office_holding(unit)",
                "CREATE INDEX office_holding_login ON office_holding(login)",
                """
                CREATE TABLE review_deadline_notice (
                    campaign BIGINT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('soon','overdue')),
                    due TEXT NOT NULL,
                    event BIGINT,
                    PRIMARY KEY (campaign, kind, due)
                )
                """,
                // What the reports need of each person; a citizen ID number identifies one current member.
                "ALTER TABLE person ADD COLUMN id_number TEXT",
                "ALTER TABLE person ADD COLUMN ethnicity TEXT",
                """
                ALTER TABLE person ADD COLUMN disability TEXT
                    CHECK (disability IS NULL OR disability IN ('extremely-severe','severe','mild'))
                """,
                "ALTER TABLE person ADD COLUMN social_allowance BOOLEAN NOT NULL DEFAULT false",
                "ALTER TABLE person ADD COLUMN merit BOOLEAN NOT NULL DEFAULT false",
                """
                CREATE UNIQUE INDEX person_id_number ON person(id_number)
                    WHERE id_number IS NOT NULL AND removed_at IS NULL
                """,
                // A household imported from a file, by the file's key: the same file again finds it.
                """
                CREATE TABLE import_key (
                    key TEXT PRIMARY KEY,
                    household BIGINT NOT NULL REFERENCES household(id),
                    fingerprint TEXT NOT NULL,
                    imported_at TEXT NOT NULL
                )
                """,
            ]
        ),
        (
            "v13-report-figures",
            [
                """
                CREATE TABLE household_total (
                    unit TEXT NOT NULL,
                    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
                    households BIGINT NOT NULL CHECK (households >= 1),
                    persons BIGINT CHECK (persons IS NULL OR persons >= households),
                    source TEXT NOT NULL CHECK (length(trim(source)) > 0),
                    by TEXT NOT NULL,
                    at TEXT NOT NULL,
                    PRIMARY KEY (unit, year)
                )
                """,
                """
                CREATE TABLE target (
                    id BIGSERIAL PRIMARY KEY,
                    unit TEXT NOT NULL,
                    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
                    indicator TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('level','reduction','count')),
                    low BIGINT NOT NULL CHECK (low >= 0),
                    high BIGINT NOT NULL CHECK (high >= low),
                    document TEXT NOT NULL CHECK (length(trim(document)) > 0),
                    by TEXT NOT NULL,
                    at TEXT NOT NULL,
                    revision BIGINT NOT NULL DEFAULT 1,
                    UNIQUE (unit, year, indicator, kind)
                )
                """,
            ]
        ),
        (
            // The funding ledger (CLP1.md §10.13), append-only; what cases carry for reports.
            "v14-funding-ledger",
            [
                """
                CREATE TABLE fund_allocation (
                    id BIGSERIAL PRIMARY KEY,
                    year BIGINT NOT NULL,
                    unit TEXT NOT NULL,
                    project TEXT NOT NULL,
                    source TEXT NOT NULL CHECK (source IN ('central','provincial','district','commune','integrated',
                        'socialised','credit','household')),
                    nature TEXT CHECK (nature IS NULL OR nature IN ('investment','recurrent')),
                    amount BIGINT NOT NULL CHECK (amount > 0),
                    document TEXT NOT NULL,
                    carried_from BIGINT REFERENCES fund_allocation(id),
                    note TEXT,
                    by TEXT NOT NULL,
                    recorded_at TEXT NOT NULL,
                    CHECK (source <> 'central' OR nature IS NOT NULL)
                )
                """,
                "CREATE INDEX fund_allocation_unit ON fund_allocation(unit, year)",
                "CREATE INDEX fund_allocation_carried ON fund_allocation(carried_from)",
                """
                CREATE TRIGGER fund_allocation_append_only BEFORE UPDATE OR DELETE ON fund_allocation
                    FOR EACH ROW EXECUTE FUNCTION caseline_append_only()
                """,
                """
                CREATE TABLE fund_disbursement (
                    id BIGSERIAL PRIMARY KEY,
                    allocation BIGINT NOT NULL REFERENCES fund_allocation(id),
                    amount BIGINT NOT NULL CHECK (amount > 0),
                    day TEXT NOT NULL,
                    case_id BIGINT REFERENCES case_file(id),
                    document TEXT,
                    override TEXT,
                    by TEXT NOT NULL,
                    recorded_at TEXT NOT NULL
                )
                """,
                "CREATE INDEX fund_disbursement_allocation ON fund_disbursement(allocation)",
                "CREATE INDEX fund_disbursement_case ON fund_disbursement(case_id)",
                """
                CREATE TRIGGER fund_disbursement_append_only BEFORE UPDATE OR DELETE ON fund_disbursement
                    FOR EACH ROW EXECUTE FUNCTION caseline_append_only()
                """,
                "ALTER TABLE case_file ADD COLUMN programme_year BIGINT",
                "UPDATE case_file SET programme_year = substr(created_at, 1, 4)::bigint",
                "ALTER TABLE case_file ADD COLUMN beneficiaries TEXT NOT NULL DEFAULT ''",
                "ALTER TABLE case_file ADD COLUMN started TEXT",
                "ALTER TABLE case_file ADD COLUMN finished TEXT",
                "ALTER TABLE case_file ADD COLUMN handed_over TEXT",
            ]
        ),
        (
            // What REPORT POVERTY reads, whole in one index (see the SQLite store's v15).
            "v15-report-index",
            [
                """
                CREATE INDEX review_assessment_report ON review_assessment(
                    commune, list_year, decision_date, household, class, persons, campaign)
                """
            ]
        ),
        (
            // What REPORT POVERTY reads, as integers written with each assessment (see the SQLite store's v16).
            "v16-report-integers",
            [
                "ALTER TABLE review_assessment ADD COLUMN household_no BIGINT",
                "ALTER TABLE review_assessment ADD COLUMN decision_day INTEGER",
                "ALTER TABLE review_assessment ADD COLUMN campaign_no BIGINT",
                "ALTER TABLE review_assessment ADD COLUMN class_code INTEGER",
                "ALTER TABLE review_assessment DISABLE TRIGGER review_assessment_append_only",
                """
                UPDATE review_assessment SET
                    household_no = substr(household, 4)::bigint,
                    decision_day = replace(decision_date, '-', '')::integer,
                    campaign_no = substr(campaign, 4)::bigint,
                    class_code = CASE class WHEN 'poor' THEN 1 WHEN 'near-poor' THEN 2
                        WHEN 'average-living' THEN 3 ELSE 0 END
                """,
                "ALTER TABLE review_assessment ENABLE TRIGGER review_assessment_append_only",
                "DROP INDEX review_assessment_report",
                """
                CREATE INDEX review_assessment_report ON review_assessment(
                    commune, list_year, decision_day, household_no, class_code, persons, campaign_no)
                """,
            ]
        ),
        (
            // Cases and tasks of past years imported from a province's files (see the SQLite store's v17).
            "v17-case-task-import",
            [
                "ALTER TABLE case_file ADD COLUMN decision TEXT",
                "ALTER TABLE case_file ADD COLUMN import_source TEXT",
                "ALTER TABLE case_file ADD COLUMN import_line BIGINT",
                "ALTER TABLE case_file ADD COLUMN import_id TEXT",
                "ALTER TABLE case_file ADD COLUMN import_key TEXT",
                "ALTER TABLE case_file ADD COLUMN import_fingerprint TEXT",
                "ALTER TABLE case_file ADD COLUMN import_successor TEXT",
                "CREATE UNIQUE INDEX case_file_import_key ON case_file(import_key) WHERE import_key IS NOT NULL",
                "ALTER TABLE task ADD COLUMN import_source TEXT",
                "ALTER TABLE task ADD COLUMN import_line BIGINT",
                "ALTER TABLE task ADD COLUMN import_id TEXT",
                "ALTER TABLE task ADD COLUMN import_key TEXT",
                "ALTER TABLE task ADD COLUMN import_fingerprint TEXT",
                "ALTER TABLE task ADD COLUMN import_successor TEXT",
                "CREATE UNIQUE INDEX task_import_key ON task(import_key) WHERE import_key IS NOT NULL",
            ]
        ),
        // Coverage targets ("100 % of poor households with health insurance"): a fourth kind.
        (
            "v18-coverage-targets",
            [
                "ALTER TABLE target DROP CONSTRAINT target_kind_check",
                "ALTER TABLE target ADD CONSTRAINT target_kind_check CHECK (kind IN ('level','reduction','count','coverage'))",
            ]
        ),
        (
            // The 2025 commune a split legacy commune's household went to (see the SQLite store's v19).
            "v19-household-successor", ["ALTER TABLE household ADD COLUMN successor TEXT"]
        ),
        (
            // Where an imported household came from (see the SQLite store's v20).
            "v20-household-import-marks",
            [
                "ALTER TABLE import_key ADD COLUMN source TEXT",
                "ALTER TABLE import_key ADD COLUMN line BIGINT",
                "ALTER TABLE import_key ADD COLUMN import_id TEXT",
            ]
        ),
    ]

    static func migrate(_ session: SQLSession) async throws {
        try await session.execute("BEGIN")
        do {
            try await session.execute("SELECT pg_advisory_xact_lock(?)", [lockKey])
            try await session.script(
                "CREATE TABLE IF NOT EXISTS schema_migration (name TEXT PRIMARY KEY, applied TEXT NOT NULL)")
            let applied = Set(try await session.rows("SELECT name FROM schema_migration").map { $0["name"] as String })
            for migration in all where !applied.contains(migration.name) {
                for statement in migration.statements { try await session.script(statement) }
                try await session.execute(
                    "INSERT INTO schema_migration (name, applied) VALUES (?, ?)",
                    [migration.name, ISO8601DateFormatter().string(from: Date())])
            }
            try await session.execute("COMMIT")
        } catch {
            _ = try? await session.execute("ROLLBACK")
            throw error
        }
    }
}
