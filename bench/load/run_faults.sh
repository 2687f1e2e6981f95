#!/usr/bin/env bash
# Faults during a load run, then reconciliation (FAULTS="worker" runs the worker kill only, leaving Redis
# and PostgreSQL to whoever else uses them; USERS=0 runs no load). Same stack as run_load.sh (fresh database seeded at
# scale unless REUSE_DB=1 DB=<seeded db>), locust for FAULT_DURATION (default 150 s), and meanwhile:
#   t+10 s  a reminder sweep as of some days ahead, and as soon as the worker has started delivering,
#           kill -9 the Celery worker (and its pool), start it again; the reminders it held must all be
#           sent within RECOVERY_MAX (60) s of the restart, the restarted worker re-enqueuing them
#   t+50 s  restart Redis (shutdown nosave; the broker loses whatever it held)
#   t+80 s  restart PostgreSQL
# After each fault: seconds until the logged-in probe (/plans/) answers 200 again, and until the
# worker answers a ping. Then `manage.py reconcile`. Restarting Redis and PostgreSQL disturbs anything
# else using them on this machine: run it rarely.
source "$(dirname "$0")/common.sh"
trap stop_all EXIT INT TERM
RECOVERY_MAX=${RECOVERY_MAX:-60}
PG_VERSION=$(ls /etc/postgresql | head -1)

worker_ping() {  # seconds until the worker answers a ping over the broker
  local t0=$SECONDS
  while (( SECONDS - t0 < RECOVERY_MAX )); do
    if timeout 10 "$ROOT/.venv/bin/celery" -A config inspect ping -d "load@$(hostname)" --timeout 2 >/dev/null 2>&1; then
      echo $(( SECONDS - t0 )); return 0
    fi
    sleep 0.5
  done
  echo "no answer within ${RECOVERY_MAX}"
}

web_recovery() { wait_http 200 "$RECOVERY_MAX" || echo "no 200 within ${RECOVERY_MAX}"; }

deliveries() {
  "$PY" manage.py shell -c "from notifications.models import Delivery as D; print(f'deliveries: {D.objects.filter(done_at__isnull=False).count()} done of {D.objects.count()}')" 2>/dev/null | tail -1 | sed "s/^/[$(date +%H:%M:%S)]   /"
}

fault_worker() {
  local killed="load@$(hostname)#$PIDS_WORKER" held
  # Kill it while it delivers: wait (up to 20 s) until it has started a delivery task.
  "$PY" bench/load/held.py await "$killed" 20 2>/dev/null || true
  log "FAULT 1: kill -9 the Celery worker $PIDS_WORKER and its pool"
  for child in $(pgrep -P "$PIDS_WORKER" || true); do kill -9 "$child" 2>/dev/null || true; done
  kill -9 "$PIDS_WORKER" 2>/dev/null || true
  held=$("$PY" bench/load/held.py snapshot "$killed" "$RUN_DIR/held.ids" 2>/dev/null | tail -1)
  start_worker
  log "  the killed worker held $held unsent reminders; all sent $("$PY" bench/load/held.py wait "$RUN_DIR/held.ids" "$RECOVERY_MAX" 2>/dev/null | tail -1) s after the worker was started again (goal: within $RECOVERY_MAX s)"
  log "  web probe 200 after $(web_recovery) s; worker answers a ping after $(worker_ping) s (restarted at once)"
}

fault_redis() {
  log "FAULT 2: restart Redis"
  redis-cli -h 127.0.0.1 shutdown nosave >/dev/null 2>&1 || true
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  local t0=$SECONDS
  until redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || (( SECONDS - t0 > 30 )); do sleep 0.1; done
  log "  redis up after $(( SECONDS - t0 )) s; web probe 200 after $(web_recovery) s; worker answers a ping after $(worker_ping) s"
}

fault_postgres() {
  log "FAULT 3: restart PostgreSQL $PG_VERSION/main"
  local t0=$SECONDS
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main restart
  log "  restart command took $(( SECONDS - t0 )) s; web probe 200 after $(web_recovery) s more; worker answers a ping after $(worker_ping) s"
}

prepare_db
redis-cli -h 127.0.0.1 -n "$REDIS_DB" flushdb >/dev/null
start_worker
start_beat
start_web
probe_login
[ "$(probe)" = 200 ] || { log "the probe does not answer 200 before any fault"; exit 1; }
duration=${FAULT_DURATION:-150}
FAULTS=${FAULTS:-worker redis postgres}
if [ "${USERS:-20}" != 0 ]; then
  log "locust ${USERS:-20} users for ${duration} s with faults ($FAULTS) at +20, +50 and +80 s"
  run_locust "${duration}s" "$RUN_DIR/faults" &
  PIDS_LOCUST=$!
else
  log "no load (USERS=0); faults: $FAULTS"
fi
sleep 10
# A sweep as of a later moment (as an operator's backfill would), so that it finds reminders that are
# not yet sent even on a reused database, and the worker is delivering them when it is killed.
ahead=${SWEEP_AHEAD_DAYS:-$(( (RANDOM % 20) + 2 ))}
log "sweep reminders as of $ahead days ahead; delivery tasks go to the worker"
"$PY" manage.py run_reminders --at "$(date -Iseconds -d "+$ahead days")"
fault_worker; deliveries
case " $FAULTS " in *" redis "*) sleep 20; fault_redis ;; esac
case " $FAULTS " in *" postgres "*) sleep 20; fault_postgres ;; esac
if [ -n "$PIDS_LOCUST" ]; then
  wait "$PIDS_LOCUST" || true
  PIDS_LOCUST=""
  summary "$RUN_DIR/faults"
fi
log "HTTP 5xx in the access log: $(grep -c '" 5[0-9][0-9] ' "$RUN_DIR/access.log" || true)"
log "letting the worker drain for ${DRAIN_SECONDS:-30} s, then reconciling"
sleep "${DRAIN_SECONDS:-30}"
"$PY" manage.py shell -c "from notifications.models import Reminder, Delivery; print(f'reminders {Reminder.objects.count()}, sent {Reminder.objects.filter(sent_at__isnull=False).count()}, claimed unsent {Reminder.objects.filter(claimed_at__isnull=False, sent_at__isnull=True).count()}; deliveries done {Delivery.objects.filter(done_at__isnull=False).count()}')" 2>/dev/null | tail -1
# Deliveries the killed worker held are neither lost nor done twice: the sweep re-dispatches a claimed,
# unsent reminder once its claim lease (15 min) has run out. Sweep as of that later moment, then check.
log "sweep again as of $ahead days and 16 minutes ahead (past the claim lease of the first sweep)"
"$PY" manage.py run_reminders --at "$(date -Iseconds -d "+$ahead days +16 minutes")"
sleep 15; deliveries
"$PY" manage.py reconcile
