import GRDB

/// The schema, as named migrations that never change once shipped (new needs get new migrations). They are
/// written without application types so that old migrations keep meaning what they meant.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-users-tokens-audit") { db in
            try db.execute(
                sql: """
                    CREATE TABLE user (
                        login TEXT PRIMARY KEY NOT NULL CHECK (length(login) BETWEEN 1 AND 64),
                        name TEXT NOT NULL,
                        role TEXT NOT NULL CHECK (role IN ('admin','chair','deputy','officer','staff','auditor')),
                        scope TEXT NOT NULL,
                        email TEXT,
                        phone TEXT,
                        disabled INTEGER NOT NULL DEFAULT 0,
                        must_change_password INTEGER NOT NULL DEFAULT 0,
                        cert_fingerprint TEXT UNIQUE,
                        password_hash TEXT NOT NULL,
                        revision INTEGER NOT NULL DEFAULT 1,
                        created TEXT NOT NULL
                    );
                    CREATE TABLE login_failure (
                        name TEXT PRIMARY KEY NOT NULL,
                        count INTEGER NOT NULL,
                        last TEXT NOT NULL
                    );
                    CREATE TABLE api_token (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        owner TEXT NOT NULL REFERENCES user(login),
                        label TEXT NOT NULL,
                        secret_hash TEXT NOT NULL UNIQUE,
                        secret_prefix TEXT NOT NULL,
                        created TEXT NOT NULL,
                        expires TEXT,
                        revoked TEXT,
                        last_used TEXT
                    );
                    CREATE INDEX api_token_owner ON api_token(owner);
                    CREATE TABLE audit (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        at TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        on_behalf_of TEXT,
                        connection TEXT NOT NULL,
                        command TEXT NOT NULL,
                        entity TEXT NOT NULL,
                        change TEXT NOT NULL,
                        hash TEXT NOT NULL
                    );
                    CREATE INDEX audit_entity ON audit(entity);
                    -- The audit trail is append-only: the database itself refuses edits and deletions.
                    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
                        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
                        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                    """)
        }
        migrator.registerMigration("v2-units-committees-assignments") { db in
            try db.execute(
                sql: """
                    CREATE TABLE unit (
                        edition TEXT NOT NULL CHECK (edition IN ('2025','legacy')),
                        code TEXT NOT NULL,
                        type TEXT NOT NULL,
                        name TEXT NOT NULL,
                        short_name TEXT NOT NULL,
                        parent TEXT,
                        province TEXT,
                        lat REAL,
                        lon REAL,
                        area_km2 REAL,
                        PRIMARY KEY (edition, code)
                    ) WITHOUT ROWID;
                    CREATE TABLE unit_link (
                        legacy_code TEXT NOT NULL,
                        current_code TEXT NOT NULL,
                        split INTEGER NOT NULL,
                        is_primary INTEGER NOT NULL,
                        PRIMARY KEY (legacy_code, current_code)
                    ) WITHOUT ROWID;
                    ALTER TABLE user ADD COLUMN last_login TEXT;
                    ALTER TABLE user ADD COLUMN disabled_reason TEXT;
                    CREATE TABLE committee (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        unit TEXT NOT NULL UNIQUE,
                        name TEXT NOT NULL,
                        decision TEXT NOT NULL,
                        decided TEXT NOT NULL,
                        created TEXT NOT NULL,
                        revision INTEGER NOT NULL DEFAULT 1
                    );
                    CREATE TABLE committee_member (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        committee INTEGER NOT NULL REFERENCES committee(id),
                        login TEXT NOT NULL REFERENCES user(login),
                        position TEXT NOT NULL CHECK (position IN ('chair','deputy','standing','member')),
                        since TEXT NOT NULL,
                        ended TEXT
                    );
                    -- The database itself keeps one seat per member and one chair per committee.
                    CREATE UNIQUE INDEX committee_member_seat ON committee_member(committee, login) WHERE ended IS NULL;
                    CREATE UNIQUE INDEX committee_member_chair ON committee_member(committee)
                        WHERE ended IS NULL AND position = 'chair';
                    CREATE INDEX committee_member_login ON committee_member(login);
                    CREATE TABLE assignment (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        commune TEXT NOT NULL,
                        login TEXT NOT NULL REFERENCES user(login),
                        role TEXT NOT NULL CHECK (role IN ('lead','support')),
                        from_day TEXT NOT NULL,
                        until_day TEXT CHECK (until_day IS NULL OR until_day >= from_day),
                        decision TEXT NOT NULL,
                        committee INTEGER NOT NULL REFERENCES committee(id),
                        end_reason TEXT,
                        created TEXT NOT NULL,
                        revision INTEGER NOT NULL DEFAULT 1
                    );
                    CREATE INDEX assignment_commune ON assignment(commune);
                    CREATE INDEX assignment_login ON assignment(login);
                    CREATE TABLE idempotency (
                        login TEXT NOT NULL,
                        key TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        entity TEXT NOT NULL,
                        created TEXT NOT NULL,
                        PRIMARY KEY (login, key)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v3-tasks") { db in
            try db.execute(
                sql: """
                    CREATE TABLE task (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        commune TEXT NOT NULL,
                        title TEXT NOT NULL,
                        description TEXT,
                        state TEXT NOT NULL CHECK (state IN
                            ('new','assigned','inprogress','blocked','submitted','done','returned','cancelled')),
                        reason TEXT,
                        component TEXT,
                        assignee TEXT REFERENCES user(login),
                        due TEXT,
                        priority TEXT NOT NULL CHECK (priority IN ('low','normal','high','urgent')),
                        creator TEXT NOT NULL REFERENCES user(login),
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        revision INTEGER NOT NULL DEFAULT 1
                    );
                    CREATE INDEX task_commune ON task(commune);
                    CREATE INDEX task_assignee ON task(assignee);
                    CREATE TABLE task_transition (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        task INTEGER NOT NULL REFERENCES task(id),
                        from_state TEXT NOT NULL,
                        to_state TEXT NOT NULL,
                        by TEXT NOT NULL,
                        at TEXT NOT NULL,
                        reason TEXT
                    );
                    CREATE INDEX task_transition_task ON task_transition(task);
                    CREATE TABLE task_comment (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        task INTEGER NOT NULL REFERENCES task(id),
                        author TEXT NOT NULL,
                        at TEXT NOT NULL,
                        text TEXT NOT NULL
                    );
                    CREATE INDEX task_comment_task ON task_comment(task);
                    -- Comments are append-only, like the audit trail.
                    CREATE TRIGGER task_comment_no_update BEFORE UPDATE ON task_comment
                        BEGIN SELECT RAISE(ABORT, 'comments are append-only'); END;
                    CREATE TRIGGER task_comment_no_delete BEFORE DELETE ON task_comment
                        BEGIN SELECT RAISE(ABORT, 'comments are append-only'); END;
                    """)
        }
        migrator.registerMigration("v4-cases") { db in
            try db.execute(
                sql: """
                    CREATE TABLE case_file (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        kind TEXT NOT NULL,
                        commune TEXT NOT NULL,
                        title TEXT NOT NULL,
                        description TEXT,
                        state TEXT NOT NULL CHECK (state IN ('draft','submitted','approved','rejected','returned')),
                        amount INTEGER CHECK (amount IS NULL OR amount >= 0),
                        funding TEXT NOT NULL DEFAULT '[]',
                        households TEXT NOT NULL DEFAULT '[]',
                        documents TEXT NOT NULL DEFAULT '[]',
                        creator TEXT NOT NULL REFERENCES user(login),
                        submitter TEXT,
                        submitters TEXT NOT NULL DEFAULT '[]',
                        submitted_at TEXT,
                        waiting_since TEXT,
                        decided_at TEXT,
                        round INTEGER NOT NULL DEFAULT 0,
                        chain TEXT NOT NULL DEFAULT '',
                        step INTEGER NOT NULL DEFAULT 0,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        revision INTEGER NOT NULL DEFAULT 1
                    );
                    CREATE INDEX case_file_commune ON case_file(commune);
                    CREATE INDEX case_file_state ON case_file(state);
                    CREATE TABLE case_step (
                        case_id INTEGER NOT NULL REFERENCES case_file(id),
                        round INTEGER NOT NULL,
                        n INTEGER NOT NULL,
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
                    ) WITHOUT ROWID;
                    CREATE TABLE approval_chain (
                        kind TEXT PRIMARY KEY NOT NULL,
                        steps TEXT NOT NULL,
                        updated_by TEXT,
                        updated_at TEXT,
                        revision INTEGER NOT NULL DEFAULT 1
                    ) WITHOUT ROWID;
                    CREATE TABLE delegation (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        delegator TEXT NOT NULL REFERENCES user(login),
                        delegate TEXT NOT NULL REFERENCES user(login),
                        from_day TEXT NOT NULL,
                        until_day TEXT NOT NULL CHECK (until_day >= from_day),
                        note TEXT,
                        created_at TEXT NOT NULL,
                        ended_at TEXT,
                        ended_by TEXT,
                        revision INTEGER NOT NULL DEFAULT 1
                    );
                    CREATE INDEX delegation_delegator ON delegation(delegator);
                    CREATE INDEX delegation_delegate ON delegation(delegate);
                    """)
        }
        migrator.registerMigration("v5-households") { db in
            try db.execute(
                sql: """
                    CREATE TABLE household (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        commune TEXT NOT NULL,
                        village TEXT NOT NULL CHECK (length(trim(village)) > 0),
                        area TEXT NOT NULL CHECK (area IN ('rural','urban')),
                        head TEXT NOT NULL CHECK (length(trim(head)) > 0),
                        gender TEXT NOT NULL CHECK (gender IN ('male','female')),
                        birth TEXT NOT NULL,
                        ethnicity TEXT,
                        -- A citizen ID number identifies one head: the schema refuses a second.
                        id_number TEXT UNIQUE,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        revision INTEGER NOT NULL DEFAULT 1
                    );
                    CREATE INDEX household_commune ON household(commune);
                    CREATE TABLE person (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        household INTEGER NOT NULL REFERENCES household(id),
                        name TEXT NOT NULL CHECK (length(trim(name)) > 0),
                        gender TEXT NOT NULL CHECK (gender IN ('male','female')),
                        birth TEXT NOT NULL,
                        relation TEXT NOT NULL CHECK (length(trim(relation)) > 0),
                        -- Removed members are kept (audit trail, idempotent replays) but no longer counted.
                        removed_at TEXT,
                        removed_reason TEXT
                    );
                    CREATE INDEX person_household ON person(household);
                    -- The assessment in force for each (household, year); a new one replaces it, and the audit
                    -- trail keeps what it replaced.
                    CREATE TABLE assessment (
                        household INTEGER NOT NULL REFERENCES household(id),
                        year INTEGER NOT NULL,
                        standard TEXT NOT NULL,
                        income INTEGER NOT NULL CHECK (income >= 0),
                        area TEXT NOT NULL CHECK (area IN ('rural','urban')),
                        income_line INTEGER NOT NULL,
                        deprived TEXT NOT NULL,
                        deprivations INTEGER NOT NULL CHECK (deprivations BETWEEN 0 AND 12),
                        class TEXT NOT NULL CHECK (class IN ('poor','near-poor','escaped','average')),
                        previous_class TEXT,
                        by TEXT NOT NULL,
                        at TEXT NOT NULL,
                        PRIMARY KEY (household, year)
                    ) WITHOUT ROWID;
                    CREATE INDEX assessment_year ON assessment(year);
                    """)
        }
        migrator.registerMigration("v6-events") { db in
            try db.execute(
                sql: """
                    -- Numbered events (CLP1.md §8). AUTOINCREMENT: a number is never reused, even after the
                    -- retention has dropped the newest rows' predecessors.
                    CREATE TABLE event (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        at TEXT NOT NULL,
                        type TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        on_behalf_of TEXT,
                        province TEXT,
                        commune TEXT,
                        case_id TEXT,
                        -- [[key, value], …] as JSON, in the order they are sent.
                        details TEXT NOT NULL,
                        -- The logins the event concerns (WATCH mine=yes), as ",a,b,".
                        concerns TEXT NOT NULL
                    );
                    CREATE INDEX event_at ON event(at);
                    -- The highest seq the retention has dropped: a since= below it has missed events.
                    CREATE TABLE event_retention (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        dropped_through INTEGER NOT NULL
                    );
                    INSERT INTO event_retention (id, dropped_through) VALUES (1, 0);
                    -- One row per deadline event raised, so that each is raised once, across restarts. A new
                    -- due date is a new deadline.
                    CREATE TABLE deadline_notice (
                        task INTEGER NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('soon','overdue')),
                        due TEXT NOT NULL,
                        event INTEGER,
                        PRIMARY KEY (task, kind, due)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v7-task-comment-count") { db in
            // Comments are append-only (v3's triggers), so the counter never needs to go down.
            try db.execute(
                sql: """
                    ALTER TABLE task ADD COLUMN comment_count INTEGER NOT NULL DEFAULT 0;
                    UPDATE task SET comment_count = (SELECT count(*) FROM task_comment c WHERE c.task = task.id);
                    """)
        }
        migrator.registerMigration("v8-case-editors") { db in
            // Who changed a case's content (CASE UPDATE) may not decide it (four-eyes). Cases changed before
            // this column existed get their editors from the audit trail, which recorded every change.
            try db.execute(
                sql: """
                    ALTER TABLE case_file ADD COLUMN editors TEXT NOT NULL DEFAULT '[]';
                    UPDATE case_file SET editors = coalesce(
                        (SELECT json_group_array(actor) FROM
                            (SELECT DISTINCT actor FROM audit
                             WHERE entity = 'case:C-' || case_file.id AND command = 'CASE UPDATE' ORDER BY actor)),
                        '[]');
                    """)
        }
        migrator.registerMigration("v9-login-locks") { db in
            // Locks are per user name *and* client address, and end by themselves (LoginThrottle): a stranger
            // who fails ten times locks out only their own address. The per-name counter stays for the delay.
            try db.execute(
                sql: """
                    CREATE TABLE login_lock (
                        name TEXT NOT NULL,
                        address TEXT NOT NULL,
                        failures INTEGER NOT NULL,
                        last TEXT NOT NULL,
                        locked_until TEXT,
                        PRIMARY KEY (name, address)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v10-reviews") { db in
            // A review campaign is the machine's state, kept whole (body, JSON) with the columns its uniqueness
            // rules and selections need. The partial unique indexes are the rules themselves: one periodic
            // review per commune and year, one ad-hoc review per commune and review day.
            // Assessments and certificates are append-only: a decision freezes them, and a correction is a
            // later campaign's assessment (the list in force is the latest decided, EffectiveList).
            try db.execute(
                sql: """
                    CREATE TABLE review_campaign (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        commune TEXT NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('periodic','ad-hoc')),
                        review_year INTEGER NOT NULL,
                        list_year INTEGER NOT NULL,
                        review_start TEXT NOT NULL,
                        stage TEXT NOT NULL,
                        revision INTEGER NOT NULL CHECK (revision >= 1),
                        body TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    );
                    CREATE UNIQUE INDEX review_campaign_periodic ON review_campaign(commune, review_year)
                        WHERE kind = 'periodic';
                    CREATE UNIQUE INDEX review_campaign_ad_hoc ON review_campaign(commune, review_start)
                        WHERE kind = 'ad-hoc';
                    CREATE TABLE review_assessment (
                        household TEXT NOT NULL,
                        campaign TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        review_year INTEGER NOT NULL,
                        list_year INTEGER NOT NULL,
                        commune TEXT NOT NULL,
                        village TEXT NOT NULL,
                        class TEXT NOT NULL CHECK (class IN ('poor','near-poor','average-living','none')),
                        decision_date TEXT NOT NULL,
                        persons INTEGER,
                        body TEXT NOT NULL,
                        recorded_at TEXT NOT NULL,
                        PRIMARY KEY (household, campaign)
                    );
                    CREATE INDEX review_assessment_list ON review_assessment(commune, list_year);
                    CREATE TRIGGER review_assessment_no_update BEFORE UPDATE ON review_assessment
                        BEGIN SELECT RAISE(ABORT, 'decided assessments are append-only'); END;
                    CREATE TRIGGER review_assessment_no_delete BEFORE DELETE ON review_assessment
                        BEGIN SELECT RAISE(ABORT, 'decided assessments are append-only'); END;
                    CREATE TABLE poverty_certificate (
                        commune TEXT NOT NULL,
                        issue_year INTEGER NOT NULL,
                        seq INTEGER NOT NULL CHECK (seq >= 1),
                        household TEXT NOT NULL,
                        campaign TEXT NOT NULL,
                        list_year INTEGER NOT NULL,
                        class TEXT NOT NULL,
                        issued TEXT NOT NULL,
                        body TEXT NOT NULL,
                        PRIMARY KEY (commune, issue_year, seq)
                    );
                    CREATE INDEX poverty_certificate_campaign ON poverty_certificate(campaign);
                    CREATE TRIGGER poverty_certificate_no_update BEFORE UPDATE ON poverty_certificate
                        BEGIN SELECT RAISE(ABORT, 'certificates are append-only'); END;
                    CREATE TRIGGER poverty_certificate_no_delete BEFORE DELETE ON poverty_certificate
                        BEGIN SELECT RAISE(ABORT, 'certificates are append-only'); END;
                    CREATE TABLE office_holding (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        unit TEXT NOT NULL,
                        login TEXT NOT NULL,
                        body TEXT NOT NULL,
                        created_at TEXT NOT NULL
                    );
                    CREATE INDEX office_holding_unit ON office_holding(unit);
                    CREATE INDEX office_holding_login ON office_holding(login);
                    -- As deadline_notice, for a campaign's decision deadline: each notice is raised once.
                    CREATE TABLE review_deadline_notice (
                        campaign INTEGER NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('soon','overdue')),
                        due TEXT NOT NULL,
                        event INTEGER,
                        PRIMARY KEY (campaign, kind, due)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v11-member-profile") { db in
            // What the reports and indicators need of each person (issue 14). A CCCD identifies one person:
            // the partial index refuses a second current member with it (heads are checked by the store).
            try db.execute(
                sql: """
                    ALTER TABLE person ADD COLUMN id_number TEXT;
                    ALTER TABLE person ADD COLUMN ethnicity TEXT;
                    ALTER TABLE person ADD COLUMN disability TEXT
                        CHECK (disability IS NULL OR disability IN ('extremely-severe','severe','mild'));
                    ALTER TABLE person ADD COLUMN social_allowance INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE person ADD COLUMN merit INTEGER NOT NULL DEFAULT 0;
                    CREATE UNIQUE INDEX person_id_number ON person(id_number)
                        WHERE id_number IS NOT NULL AND removed_at IS NULL;
                    """)
        }
        migrator.registerMigration("v12-import-keys") { db in
            // A household imported from a file, by the file's own key (`commune/reference`): importing the
            // same file again finds it, and the fingerprint tells whether the sheet changed since.
            try db.execute(
                sql: """
                    CREATE TABLE import_key (
                        key TEXT PRIMARY KEY,
                        household INTEGER NOT NULL REFERENCES household(id),
                        fingerprint TEXT NOT NULL,
                        imported_at TEXT NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v13-report-figures") { db in
            // Totals are the denominators of the reports' rates, one per unit and list year (a new figure
            // replaces the old; the audit keeps both). Targets are judged against the lists in force.
            try db.execute(
                sql: """
                    CREATE TABLE household_total (
                        unit TEXT NOT NULL,
                        year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
                        households INTEGER NOT NULL CHECK (households >= 1),
                        persons INTEGER CHECK (persons IS NULL OR persons >= households),
                        source TEXT NOT NULL CHECK (length(trim(source)) > 0),
                        by TEXT NOT NULL,
                        at TEXT NOT NULL,
                        PRIMARY KEY (unit, year)
                    ) WITHOUT ROWID;
                    CREATE TABLE target (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        unit TEXT NOT NULL,
                        year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
                        indicator TEXT NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('level','reduction','count')),
                        low INTEGER NOT NULL CHECK (low >= 0),
                        high INTEGER NOT NULL CHECK (high >= low),
                        document TEXT NOT NULL CHECK (length(trim(document)) > 0),
                        by TEXT NOT NULL,
                        at TEXT NOT NULL,
                        revision INTEGER NOT NULL DEFAULT 1,
                        UNIQUE (unit, year, indicator, kind)
                    );
                    """)
        }
        migrator.registerMigration("v14-funding-ledger") { db in
            // The funding ledger (CLP1.md §10.13), append-only: a balance is summed from the entries, never
            // stored, so nothing can change one behind the audit trail. And what cases carry for reports: the
            // programme year (the year of creation for cases made before), beneficiaries by category, and a
            // house's progress after approval.
            try db.execute(
                sql: """
                    CREATE TABLE fund_allocation (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        year INTEGER NOT NULL,
                        unit TEXT NOT NULL,
                        project TEXT NOT NULL,
                        source TEXT NOT NULL CHECK (source IN ('central','provincial','district','commune',
                            'integrated','socialised','credit','household')),
                        nature TEXT CHECK (nature IS NULL OR nature IN ('investment','recurrent')),
                        amount INTEGER NOT NULL CHECK (amount > 0),
                        document TEXT NOT NULL,
                        carried_from INTEGER REFERENCES fund_allocation(id),
                        note TEXT,
                        by TEXT NOT NULL,
                        recorded_at TEXT NOT NULL,
                        CHECK (source <> 'central' OR nature IS NOT NULL)
                    );
                    CREATE INDEX fund_allocation_unit ON fund_allocation(unit, year);
                    CREATE INDEX fund_allocation_carried ON fund_allocation(carried_from);
                    CREATE TRIGGER fund_allocation_no_update BEFORE UPDATE ON fund_allocation
                        BEGIN SELECT RAISE(ABORT, 'the funding ledger is append-only'); END;
                    CREATE TRIGGER fund_allocation_no_delete BEFORE DELETE ON fund_allocation
                        BEGIN SELECT RAISE(ABORT, 'the funding ledger is append-only'); END;
                    CREATE TABLE fund_disbursement (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        allocation INTEGER NOT NULL REFERENCES fund_allocation(id),
                        amount INTEGER NOT NULL CHECK (amount > 0),
                        day TEXT NOT NULL,
                        case_id INTEGER REFERENCES case_file(id),
                        document TEXT,
                        override TEXT,
                        by TEXT NOT NULL,
                        recorded_at TEXT NOT NULL
                    );
                    CREATE INDEX fund_disbursement_allocation ON fund_disbursement(allocation);
                    CREATE INDEX fund_disbursement_case ON fund_disbursement(case_id);
                    CREATE TRIGGER fund_disbursement_no_update BEFORE UPDATE ON fund_disbursement
                        BEGIN SELECT RAISE(ABORT, 'the funding ledger is append-only'); END;
                    CREATE TRIGGER fund_disbursement_no_delete BEFORE DELETE ON fund_disbursement
                        BEGIN SELECT RAISE(ABORT, 'the funding ledger is append-only'); END;
                    ALTER TABLE case_file ADD COLUMN programme_year INTEGER;
                    UPDATE case_file SET programme_year = CAST(substr(created_at, 1, 4) AS INTEGER);
                    ALTER TABLE case_file ADD COLUMN beneficiaries TEXT NOT NULL DEFAULT '';
                    ALTER TABLE case_file ADD COLUMN started TEXT;
                    ALTER TABLE case_file ADD COLUMN finished TEXT;
                    ALTER TABLE case_file ADD COLUMN handed_over TEXT;
                    """)
        }
        migrator.registerMigration("v15-report-index") { db in
            // REPORT POVERTY reads every assessment of a province's communes (half a million rows for 100,000
            // households and five years): this index holds all it reads, so the rows with their large bodies
            // are never visited.
            try db.execute(
                sql: """
                    CREATE INDEX review_assessment_report ON review_assessment(
                        commune, list_year, decision_date, household, class, persons, campaign);
                    """)
        }
        migrator.registerMigration("v16-report-integers") { db in
            // What REPORT POVERTY reads, as integers written with each assessment: turning `HH-n`, `RC-n`,
            // dates and classes into numbers row by row was half of a province report's time. The rows kept so
            // far get them once here (the append-only trigger is lifted for this backfill only).
            try db.execute(
                sql: """
                    ALTER TABLE review_assessment ADD COLUMN household_no INTEGER;
                    ALTER TABLE review_assessment ADD COLUMN decision_day INTEGER;
                    ALTER TABLE review_assessment ADD COLUMN campaign_no INTEGER;
                    ALTER TABLE review_assessment ADD COLUMN class_code INTEGER;
                    DROP TRIGGER review_assessment_no_update;
                    UPDATE review_assessment SET
                        household_no = CAST(substr(household, 4) AS INTEGER),
                        decision_day = CAST(replace(decision_date, '-', '') AS INTEGER),
                        campaign_no = CAST(substr(campaign, 4) AS INTEGER),
                        class_code = CASE class WHEN 'poor' THEN 1 WHEN 'near-poor' THEN 2
                            WHEN 'average-living' THEN 3 ELSE 0 END;
                    CREATE TRIGGER review_assessment_no_update BEFORE UPDATE ON review_assessment
                        BEGIN SELECT RAISE(ABORT, 'decided assessments are append-only'); END;
                    DROP INDEX review_assessment_report;
                    CREATE INDEX review_assessment_report ON review_assessment(
                        commune, list_year, decision_day, household_no, class_code, persons, campaign_no);
                    """)
        }
        migrator.registerMigration("v17-case-task-import") { db in
            // Cases and tasks of past years imported from a province's files (`import cases`, `import tasks`):
            // the decision's reference, where each came from (file, line, run), and its key in the province's
            // numbering with the fingerprint of its content, so that the same file imported again finds it.
            try db.execute(
                sql: """
                    ALTER TABLE case_file ADD COLUMN decision TEXT;
                    ALTER TABLE case_file ADD COLUMN import_source TEXT;
                    ALTER TABLE case_file ADD COLUMN import_line INTEGER;
                    ALTER TABLE case_file ADD COLUMN import_id TEXT;
                    ALTER TABLE case_file ADD COLUMN import_key TEXT;
                    ALTER TABLE case_file ADD COLUMN import_fingerprint TEXT;
                    ALTER TABLE case_file ADD COLUMN import_successor TEXT;
                    CREATE UNIQUE INDEX case_file_import_key ON case_file(import_key) WHERE import_key IS NOT NULL;
                    ALTER TABLE task ADD COLUMN import_source TEXT;
                    ALTER TABLE task ADD COLUMN import_line INTEGER;
                    ALTER TABLE task ADD COLUMN import_id TEXT;
                    ALTER TABLE task ADD COLUMN import_key TEXT;
                    ALTER TABLE task ADD COLUMN import_fingerprint TEXT;
                    ALTER TABLE task ADD COLUMN import_successor TEXT;
                    CREATE UNIQUE INDEX task_import_key ON task(import_key) WHERE import_key IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v18-coverage-targets") { db in
            // Coverage targets ("100 % of poor households with health insurance"): a fourth kind. SQLite cannot
            // change a CHECK in place, so the table is rebuilt with its rows and ids (the sequence follows the
            // rename).
            try db.execute(
                sql: """
                    CREATE TABLE target_new (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        unit TEXT NOT NULL,
                        year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
                        indicator TEXT NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('level','reduction','count','coverage')),
                        low INTEGER NOT NULL CHECK (low >= 0),
                        high INTEGER NOT NULL CHECK (high >= low),
                        document TEXT NOT NULL CHECK (length(trim(document)) > 0),
                        by TEXT NOT NULL,
                        at TEXT NOT NULL,
                        revision INTEGER NOT NULL DEFAULT 1,
                        UNIQUE (unit, year, indicator, kind)
                    );
                    INSERT INTO target_new (id, unit, year, indicator, kind, low, high, document, by, at, revision)
                        SELECT id, unit, year, indicator, kind, low, high, document, by, at, revision FROM target;
                    DROP TABLE target;
                    ALTER TABLE target_new RENAME TO target;
                    """)
        }
        migrator.registerMigration("v19-household-successor") { db in
            // A household of a legacy commune split in 2025 counts under the 2025 commune its import named
            // (`Household.successor`), not under the legacy commune's primary successor.
            try db.execute(sql: "ALTER TABLE household ADD COLUMN successor TEXT")
        }
        migrator.registerMigration("v20-household-import-marks") { db in
            // Where an imported household came from, as imported cases and tasks keep it (v17): the file, its
            // first line and the import run.
            try db.execute(
                sql: """
                    ALTER TABLE import_key ADD COLUMN source TEXT;
                    ALTER TABLE import_key ADD COLUMN line INTEGER;
                    ALTER TABLE import_key ADD COLUMN import_id TEXT;
                    """)
        }
        return migrator
    }
}
