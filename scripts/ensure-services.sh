#!/usr/bin/env bash
# Starts the local PostgreSQL and Redis when they are not answering (a fresh machine, CI).
# Used by .ci/run, the test setup and `npm start`. Safe to run when both are up.
set -u
pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

if ! pg_up; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "ensure-services: starting PostgreSQL" >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  fi
  pg_up || { echo "ensure-services: PostgreSQL is not answering on 127.0.0.1:5432 and could not be started. Install and start it, or set DATABASE_URL to a running server." >&2; exit 1; }
fi

if ! redis_up; then
  if command -v redis-server >/dev/null; then
    echo "ensure-services: starting Redis" >&2
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null || true
    for _ in $(seq 1 30); do redis_up && break; sleep 0.5; done
  fi
  redis_up || { echo "ensure-services: Redis is not answering on 127.0.0.1:6379 and could not be started. Install redis-server, or set REDIS_URL to a running server." >&2; exit 1; }
fi
