# Shared by run_load.sh and run_faults.sh: environment, fresh database, services, probe, summary.
# Everything binds to loopback; every process started here is stopped by stop_all (trap).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
[ "${USERS:-20}" = 0 ] || scripts/bootstrap --bench  # locust (not needed without load)
PY=$ROOT/.venv/bin/python
PORT=${PORT:-8765}
DB=${DB:-jxjy_load_$$}
RUN_DIR=${RUN_DIR:-$(mktemp -d /tmp/jxjy-load.XXXXXX)}
mkdir -p "$RUN_DIR/var"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
REDIS_DB=${REDIS_DB:-14}
export REDIS_URL="redis://127.0.0.1:6379/$REDIS_DB"
export DJANGO_SETTINGS_MODULE=bench.load.settings
export SECRET_KEY=${SECRET_KEY:-$($PY -c 'import secrets; print(secrets.token_urlsafe(64))')}
export OTP_ENCRYPTION_KEYS=${OTP_ENCRYPTION_KEYS:-$($PY -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')}
export ALLOWED_HOSTS=127.0.0.1,localhost
# Production settings want the https address users reach; the load run sends no mail.
export SITE_URL=${SITE_URL:-https://127.0.0.1}
export VAR_DIR=$RUN_DIR/var
export DEBUG=0
export LOG_LEVEL=${LOG_LEVEL:-WARNING}
export PYTHONPATH=$ROOT
PIDS_WEB="" PIDS_WORKER="" PIDS_BEAT="" PIDS_LOCUST=""

log() { echo "[$(date +%H:%M:%S)] $*"; }

stop_pid() { [ -n "${1:-}" ] && kill "$1" 2>/dev/null || true; }

stop_all() {
  stop_pid "$PIDS_LOCUST"; stop_pid "$PIDS_BEAT"; stop_pid "$PIDS_WORKER"; stop_pid "$PIDS_WEB"
  sleep 2
  for pid in $PIDS_LOCUST $PIDS_BEAT $PIDS_WORKER $PIDS_WEB; do kill -9 "$pid" 2>/dev/null || true; done
  if [ "${KEEP_DB:-0}" != 1 ] && [ -z "${REUSE_DB:-}" ]; then
    dropdb -h 127.0.0.1 -U postgres --if-exists "$DB" 2>/dev/null || true
  else
    log "kept database $DB"
  fi
  log "logs in $RUN_DIR"
}

prepare_db() {
  if [ -n "${REUSE_DB:-}" ]; then
    log "reusing seeded database $DB (migrating it to the code's schema)"
    timeout 300 "$PY" manage.py migrate --noinput -v 0
    return
  fi
  log "creating database $DB"
  createdb -h 127.0.0.1 -U postgres "$DB"
  timeout 300 "$PY" manage.py migrate --noinput -v 0
  log "seeding at scale (plans=${PLANS:-100000}, entries=${ENTRIES:-1000000})"
  local t0=$SECONDS
  timeout 900 "$PY" manage.py seed_scale --plans "${PLANS:-100000}" --entries "${ENTRIES:-1000000}" | tee "$RUN_DIR/seed.log"
  log "seed_scale wall time: $((SECONDS - t0)) s"
}

start_web() {
  "$ROOT/.venv/bin/gunicorn" config.wsgi --bind "127.0.0.1:$PORT" --workers "${WEB_WORKERS:-4}" --preload \
    --timeout 30 --graceful-timeout 5 --access-logfile "$RUN_DIR/access.log" \
    --error-logfile "$RUN_DIR/gunicorn.log" &
  PIDS_WEB=$!
  wait_http 200 60 "/accounts/login/" >/dev/null || { log "gunicorn did not start"; exit 1; }
}

start_worker() {
  "$ROOT/.venv/bin/celery" -A config worker --concurrency "${WORKER_CONCURRENCY:-1}" --loglevel INFO \
    --hostname "load@%h" --logfile "$RUN_DIR/celery-worker.log" &
  PIDS_WORKER=$!
}

start_beat() {
  "$ROOT/.venv/bin/celery" -A config beat --loglevel INFO --schedule "$RUN_DIR/var/celerybeat-schedule" \
    --logfile "$RUN_DIR/celery-beat.log" &
  PIDS_BEAT=$!
}

# A logged-in probe: the plan list needs the database (session save, scoped query).
probe_login() {
  local jar=$RUN_DIR/probe.cookies token
  token=$(curl -s -c "$jar" "http://127.0.0.1:$PORT/accounts/login/" | sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' | head -1)
  curl -s -o /dev/null -b "$jar" -c "$jar" -d "username=load_org00&password=demo-jxjy-2026&csrfmiddlewaretoken=$token" \
    "http://127.0.0.1:$PORT/accounts/login/"
}

probe() {  # status code of the probe URL (000 when nothing answers)
  curl -s -o /dev/null -m 5 -w '%{http_code}' -b "$RUN_DIR/probe.cookies" "http://127.0.0.1:$PORT${1:-/plans/}" || true
}

# wait_http CODE MAX_SECONDS [PATH]: poll every 0.2 s; print the seconds it took; fail after MAX.
wait_http() {
  local want=$1 max=$2 path=${3:-/plans/} start end
  start=$(date +%s.%N)
  end=$(echo "$start + $max" | bc)
  while [ "$(echo "$(date +%s.%N) < $end" | bc)" = 1 ]; do
    if [ "$(probe "$path")" = "$want" ]; then echo "$(date +%s.%N) - $start" | bc | xargs printf '%.1f\n'; return 0; fi
    sleep 0.2
  done
  return 1
}

run_locust() {  # run_locust DURATION CSV_PREFIX [extra args]
  local duration=$1 prefix=$2; shift 2
  USERS=${USERS:-20} LOCUST_SUMMARY="$prefix.summary" timeout $(( ${duration%s} + 60 )) "$ROOT/.venv/bin/locust" -f "$ROOT/bench/load/locustfile.py" --headless \
    -u "${USERS:-20}" -r "${SPAWN_RATE:-5}" -t "$duration" --stop-timeout 10 \
    --host "http://127.0.0.1:$PORT" --csv "$prefix" --only-summary --loglevel WARNING "$@" \
    > "$prefix.out" 2>&1 || true
}

summary() {  # summary CSV_PREFIX: per endpoint and aggregated count, failures, p50, p95, max
  cat "$1.summary" 2>/dev/null || true
  echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (shared machine)"
  "$PY" - "$1" <<'PYEOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1] + "_stats.csv")))
print(f"{'request':38} {'count':>6} {'fail':>5} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7} {'rps':>6}")
for r in rows:
    name = (r["Type"] + " " + r["Name"]).strip()
    print(f"{name[:38]:38} {r['Request Count']:>6} {r['Failure Count']:>5} {r['50%']:>6} {r['95%']:>6} "
          f"{r['99%']:>6} {float(r['Max Response Time']):>7.0f} {float(r['Requests/s']):>6.1f}")
failures = list(csv.DictReader(open(sys.argv[1] + "_failures.csv")))
for f in failures:
    print(f"failure: {f['Method']} {f['Name']} x{f['Occurrences']}: {f['Error'][:200]}")
PYEOF
}
