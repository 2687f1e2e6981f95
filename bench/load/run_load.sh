#!/usr/bin/env bash
# Load test on loopback: a fresh PostgreSQL database seeded at scale (100,000 plans, 1,000,000 ledger
# rows), gunicorn with production settings (DEBUG=0), a Celery worker and beat on Redis db 14, and
# locust headless (20 users, spawn 5/s, 60 s). Prints p50/p95/max and errors; stops everything.
#   bench/load/run_load.sh                      # full scale
#   PLANS=5000 ENTRIES=50000 bench/load/run_load.sh   # quick
#   KEEP_DB=1 ... / REUSE_DB=1 DB=jxjy_load_123 ...   # keep or reuse a seeded database
source "$(dirname "$0")/common.sh"
trap stop_all EXIT INT TERM

prepare_db
redis-cli -h 127.0.0.1 -n "$REDIS_DB" flushdb >/dev/null
start_worker
start_beat
start_web
log "gunicorn on http://127.0.0.1:$PORT ($(nproc) cores); locust ${USERS:-20} users for ${DURATION:-60s}"
run_locust "${DURATION:-60s}" "$RUN_DIR/locust"
summary "$RUN_DIR/locust"
errors=$(grep -c '" 5[0-9][0-9] ' "$RUN_DIR/access.log" || true)
log "HTTP 5xx in the access log: $errors"
