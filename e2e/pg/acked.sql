-- The load driver's transaction (pgbench -f, see load.sh): pgbench's TPC-B-like writes plus one
-- row in acked that names this transaction. :n counts the client's transactions (load.sh starts
-- it at 0 with -D n=0; client variables persist across transactions), so the n-th line a client
-- logs with pgbench -l is the row (run, client, n): acknowledged commits can be looked up by key.
\set n :n + 1
\set aid random(1, 100000 * :scale)
\set bid random(1, 1 * :scale)
\set tid random(1, 10 * :scale)
\set delta random(-5000, 5000)
BEGIN;
UPDATE pgbench_accounts SET abalance = abalance + :delta WHERE aid = :aid;
UPDATE pgbench_tellers SET tbalance = tbalance + :delta WHERE tid = :tid;
UPDATE pgbench_branches SET bbalance = bbalance + :delta WHERE bid = :bid;
INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (:tid, :bid, :aid, :delta, CURRENT_TIMESTAMP);
INSERT INTO acked (run, client, n, aid, delta) VALUES (:run, :client_id, :n, :aid, :delta);
END;
