"""Data and peer for bench/indicators.

  gen DB OUT N      adds N synthetic children, 3N assessments, N/2 cases and
                    0.8N referrals to the Haven SQLite database DB (made by
                    `haven demo`, which gives it places, services and an
                    instrument), and writes the same rows as CSV files in OUT
                    for PostgreSQL and DuckDB.
  pgfix OUT MAP     rewrites OUT/referrals.csv for a PostgreSQL database whose
                    services have other ids: MAP holds its "id|agency|sector"
                    lines; writes OUT/referrals_pg.csv.
  statements LOG    reads a PostgreSQL log written with
                    log_min_duration_statement = 0 while Haven exported the
                    indicators, and prints the indicator statements with their
                    parameters as JSON ([sql, [params]] each).
  duck DIR SQL      loads the CSV files in DIR (tables exported from
                    PostgreSQL) into DuckDB and runs the statements in
                    the JSON file SQL (each [sql, [params]]) as Haven ran them
                    on PostgreSQL; prints the seconds taken as JSON.

Only the columns the indicators read carry meaning; sealed fields (names,
answers) hold one placeholder byte, and nothing here is a real person."""
import csv, json, os, random, re, sqlite3, sys, time

DAY = 86_400
SEXES = ["female", "male"]
BIRTH = ["registered", "not_registered", "unknown"]
LIVING = ["family", "kinship_care", "institution", "unaccompanied_migrant", "street", "child_headed_household"]
LEVELS = ["low", "medium", "high", "critical"]
LAYERS = {"low": ["primary", "primary", "secondary"], "medium": ["primary", "secondary", "secondary"],
          "high": ["secondary", "tertiary"], "critical": ["secondary", "tertiary", "tertiary"]}
FORMS = ["sale", "trafficking", "sexual_exploitation", "abuse_material", "online_grooming",
         "child_marriage", "forced_labour", "other"]
STEPS = ["identification", "assessment", "planning", "implementation", "follow_up"]
REFERRAL_STATUS = ["sent", "accepted", "completed", "completed", "declined"]

CHILD_COLS = ("id, given_name_enc, family_name_enc, sex, date_of_birth, dob_estimated, location, location_path, "
              "birth_registration, disability, minority_group, living_situation, in_school, child_labour, household_id, "
              "agency, created_at, updated_at, minority_group_enc, institution_id, first_assessment_seq, "
              "first_assessment_level")
ASSESSMENT_COLS = ("id, child_id, instrument_version, answers_enc, result_enc, score_centi, level, layer, urgent, "
                   "confirmed_level, override_reason_enc, confirmed_by, assessed_by, assessed_at, notes_enc, seq")
CASE_COLS = ("id, child_id, location_path, agency, assigned_to, step, plan_status, closure_requested, level, urgent, "
             "plan_enc, plan_submitted_by, consent, child_views_enc, adoptability_enc, adoptability_by, next_due_at, "
             "opened_by, opened_at, updated_at, closed_at, exploitation")
REFERRAL_COLS = ("id, case_id, child_id, location_path, from_agency, service_id, to_agency, sector, kind, status, "
                 "reason_enc, answer_enc, sent_by, sent_at, respond_by, answered_by, answered_at, completed_at")
SEALED = b"\x00"
# Columns whose values are bytes: written to CSV as PostgreSQL hex.
BLOB_COLUMNS = {"given_name_enc", "family_name_enc", "minority_group_enc", "answers_enc", "result_enc",
                "override_reason_enc", "notes_enc", "plan_enc", "child_views_enc", "adoptability_enc",
                "reason_enc", "answer_enc"}


def date_of(ts):
    return time.strftime("%Y-%m-%d", time.gmtime(ts))


class Table:
    """Rows for one table: inserted into SQLite and written to CSV."""

    def __init__(self, db, out, name, cols):
        self.cols = [c.strip() for c in cols.split(",")]
        self.blobs = [i for i, c in enumerate(self.cols) if c in BLOB_COLUMNS]
        self.sql = f"INSERT INTO {name} ({cols}) VALUES ({', '.join('?' * len(self.cols))})"
        self.db, self.rows, self.count = db, [], 0
        self.file = open(os.path.join(out, f"{name}.csv"), "w", newline="")
        self.csv = csv.writer(self.file)
        self.csv.writerow(self.cols)

    def add(self, row):
        self.rows.append(row)
        if len(self.rows) >= 50_000:
            self.flush()

    def flush(self):
        self.db.executemany(self.sql, self.rows)
        for r in self.rows:
            r = list(r)
            for i in self.blobs:
                if r[i] is not None:
                    r[i] = "\\x" + r[i].hex()
            self.csv.writerow("" if v is None else v for v in r)
        self.count += len(self.rows)
        self.rows = []

    def close(self):
        self.flush()
        self.file.close()


def gen(db_path, out, n):
    os.makedirs(out, exist_ok=True)
    rnd = random.Random(20261130)
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA cache_size = -262144")
    districts = db.execute(
        "SELECT code, path FROM locations l WHERE NOT EXISTS (SELECT 1 FROM locations k WHERE k.parent = l.code)").fetchall()
    services = db.execute("SELECT id, agency, sector FROM services ORDER BY id").fetchall()
    now = int(time.time())
    first = now - 5 * 365 * DAY
    db.execute("BEGIN")
    children = Table(db, out, "children", CHILD_COLS)
    assessments = Table(db, out, "assessments", ASSESSMENT_COLS)
    cases = Table(db, out, "cases", CASE_COLS)
    referrals = Table(db, out, "referrals", REFERRAL_COLS)
    ids = iter(range(1, 10**12))
    hexid = lambda: "b%031x" % next(ids)
    r = rnd.random
    made_cases = made_referrals = 0
    for i in range(n):
        code, path = districts[int(r() * len(districts))]
        created = first + int(r() * (now - first - DAY))
        born = created - int(r() * 17.9 * 365 * DAY)
        child = hexid()
        row = [child, SEALED, SEALED, SEXES[r() < 0.49], date_of(born), int(r() < 0.2), code, path,
               BIRTH[int(r() * 3)], int(r() < 0.06), None, LIVING[int(r() * r() * 6)], int(r() < 0.7),
               int(r() < 0.1), None, None, created, created, None, None]
        # Three assessments a child on average, each later than the one before.
        k = int(r() * 7)
        at, level = created, None
        made = []
        for seq in range(1, k + 1):
            at += int(r() * 200 * DAY) + DAY
            if at >= now:
                at = now - int(r() * DAY)
            level = LEVELS[min(3, int(r() * r() * 5))]
            confirmed = LEVELS[min(3, int(r() * 4))] if r() < 0.1 else None
            made.append((hexid(), child, 1, SEALED, SEALED, int(r() * 10_000), level,
                         LAYERS[level][int(r() * len(LAYERS[level]))], int(level == "critical"), confirmed,
                         SEALED if confirmed else None, "sup1" if confirmed else None, "cw1", at, None, seq))
        # The child's first assessment, as Haven keeps it on their row.
        opening = made[0] if made else None
        children.add(tuple(row) + ((1, opening[9] or opening[6]) if opening else (None, None)))
        for a in made:
            assessments.add(a)
        # A case for half the children (those assessed), until N/2.
        if k and made_cases < n // 2 and r() < 0.6:
            made_cases += 1
            case = hexid()
            opened = min(now - DAY, created + int(r() * 60 * DAY) + DAY)
            closed = opened + int(r() * 300 * DAY) if r() < 0.6 else None
            if closed is not None and closed >= now:
                closed = None
            plan = ["none", "submitted", "approved", "approved"][int(r() * 4)]
            cases.add((case, child, path, "DSW", "cw1", "closed" if closed else STEPS[int(r() * 5)], plan, 0,
                       level, int(level == "critical"), SEALED if plan != "none" else None,
                       "cw1" if plan != "none" else None, ["given", "not_asked", "given"][int(r() * 3)],
                       None, None, None, None if closed else opened + 30 * DAY, "cw1", opened,
                       closed or opened, closed, FORMS[int(r() * len(FORMS))] if r() < 0.3 else None))
            for _ in range(int(r() * 4.2)):
                if made_referrals >= int(0.8 * n):
                    break
                made_referrals += 1
                sid, agency, sector = services[int(r() * len(services))]
                sent = opened + int(r() * 90 * DAY)
                if sent >= now:
                    sent = now - DAY
                status = REFERRAL_STATUS[int(r() * len(REFERRAL_STATUS))]
                answered = sent + int(r() * 10 * DAY) if status != "sent" else None
                completed = answered + int(r() * 60 * DAY) if status == "completed" else None
                referrals.add((hexid(), case, child, path, "DSW", sid, agency, sector, "service", status, SEALED,
                               SEALED if answered else None, "cw1", sent, sent + 7 * DAY,
                               "partner" if answered else None, answered, completed))
    for t in (children, assessments, cases, referrals):
        t.close()
    db.execute("COMMIT")
    print(json.dumps({"children": children.count, "assessments": assessments.count,
                      "cases": cases.count, "referrals": referrals.count}))


def pgfix(out, map_path):
    """PostgreSQL's services have their own ids: the same agency and sector."""
    theirs = {}
    for line in open(map_path):
        sid, agency, sector = line.strip().split("|")
        theirs.setdefault((agency, sector), sid)
    with open(os.path.join(out, "referrals.csv")) as src, \
            open(os.path.join(out, "referrals_pg.csv"), "w", newline="") as dst:
        rd, w = csv.reader(src), csv.writer(dst)
        head = next(rd)
        w.writerow(head)
        s, a, k = head.index("service_id"), head.index("to_agency"), head.index("sector")
        for row in rd:
            row[s] = theirs[(row[a], row[k])]
            w.writerow(row)


# What the indicators read; statements touching none of these (the audit
# entry, the caller's checks) are not part of the comparison.
INDICATOR_TABLES = re.compile(
    r"\b(FROM|JOIN) (children|assessments|cases|referrals|reports|hotline_items|child_populations|locations)\b")
ENTRY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def parse_params(text):
    """`$1 = '2025', $2 = NULL`: values in order (numbers as numbers)."""
    out, i = [], 0
    while True:
        i = text.find("= ", i)
        if i < 0:
            return out
        i += 2
        if text.startswith("NULL", i):
            out.append(None)
            i += 4
            continue
        j, value = i + 1, []
        while True:
            k = text.index("'", j)
            value.append(text[j:k])
            if text.startswith("''", k):
                value.append("'")
                j = k + 2
            else:
                i = k + 1
                break
        v = "".join(value)
        out.append(int(v) if re.fullmatch(r"-?\d{1,18}", v) else v)


def statements(log_path):
    entries, current = [], None
    for line in open(log_path, errors="replace"):
        if ENTRY.match(line):
            current = [line.rstrip("\n")]
            entries.append(current)
        elif current is not None:
            current.append(line.rstrip("\n").lstrip("\t"))
    out, pending = [], None
    for e in entries:
        text = " ".join(e)
        m = re.search(r"DETAIL:  [Pp]arameters: (.*)$", text)
        if m:
            if pending is not None:
                pending[1] = parse_params(m.group(1))
            pending = None
            continue
        # Each parse, bind and execute is logged with its own parameters:
        # only an execute's are kept.
        pending = None
        m = re.search(r"LOG:  duration: [\d.]+ ms  execute [^:]*: (.*)$", text)
        if m and INDICATOR_TABLES.search(m.group(1)) and "audit_log" not in m.group(1):
            pending = [m.group(1), []]
            out.append(pending)
    print(json.dumps(out))


def duck(out, sql_path):
    import duckdb
    con = duckdb.connect()
    t0 = time.time()
    for file in sorted(os.listdir(out)):
        name, path = file[:-4], os.path.join(out, file)
        if file.endswith(".csv"):
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv('{path}', header = true, "
                        f"all_varchar = false, sample_size = -1)")
    loaded = time.time() - t0
    statements = json.load(open(sql_path))
    # The same statements, timed twice: the first run reads the tables
    # into DuckDB's cache, as Haven's first export reads the file's pages.
    runs = []
    for _ in range(2):
        t0 = time.time()
        rows = 0
        for sql, params in statements:
            rows += len(con.execute(sql, params).fetchall())
        runs.append(time.time() - t0)
    print(json.dumps({"statements": len(statements), "rows": rows, "load_s": loaded,
                      "first_s": runs[0], "second_s": runs[1]}))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "gen":
        gen(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif cmd == "pgfix":
        pgfix(sys.argv[2], sys.argv[3])
    elif cmd == "statements":
        statements(sys.argv[2])
    elif cmd == "duck":
        duck(sys.argv[2], sys.argv[3])
    else:
        sys.exit(f"unknown command {cmd}")
