#!/usr/bin/env python3
"""The lists' SQL before issue 21, timed on a database bench/scale built (the "before" figures of
docs/PERFORMANCE.md): the same statements with the same bound parameters as the store ran them
then, one filter form for every list, which SQLite cannot answer from an index.

    python3 bench/scale_before.py /tmp/rsoflow-scale-1000000/scale.db
"""
import sqlite3
import sys
import time

COLS = ("SELECT id, workflow, workflow_version, state, version, rso_id, subject_id, title, data, "
        "created_at, created_by, updated_at, due_at, terminal FROM instances ")
OLD_LIST = (COLS + "WHERE id > ?1 AND (?2 = '' OR workflow = ?2) AND (?3 = '' OR state = ?3) "
            "AND (?4 = '' OR rso_id = ?4) AND (?5 < 0 OR terminal = ?5) ORDER BY id LIMIT ?6")
OLD_AUDIT = ("SELECT * FROM audit WHERE seq > ?1 AND (?2 = 0 OR instance_id = ?2) AND "
             "(?3 = '' OR actor_username = ?3 OR actor_user_id = ?3) ORDER BY seq LIMIT ?4")


def timed(conn, sql, params, repeat=3):
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        conn.execute(sql, params).fetchall()
        ms = (time.perf_counter() - t0) * 1000
        best = ms if best is None else min(best, ms)
    return best


def main():
    conn = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
    n = conn.execute("SELECT MAX(id) FROM instances").fetchone()[0]
    rows = [
        ("instances?state=open, first page", OLD_LIST, (0, "", "open", "", -1, 51)),
        ("instances?rso_id=1, first page", OLD_LIST, (0, "", "", "1", -1, 51)),
        ("instances?workflow=partnership_initiative&active=true", OLD_LIST,
         (0, "partnership_initiative", "", "", 0, 51)),
        ("inbox: every active instance (pages of 1000)", OLD_LIST, (0, "", "", "", 0, 1000000)),
        ("rsos: one RSO's recognition (x50 a page)", OLD_LIST,
         (0, "rso_recognition", "", "2500", -1, 1000)),
        ("audit?instance_id= (a recent instance)", OLD_AUDIT, (0, n - 10, "", 51)),
    ]
    print("| statement (before issue 21) | ms (best of 3) |")
    print("|---|---:|")
    for name, sql, params in rows:
        print("| %s | %.1f |" % (name, timed(conn, sql, params)))


if __name__ == "__main__":
    main()
