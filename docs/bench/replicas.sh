#!/usr/bin/env bash
# Throughput of one signed `/upgrade add` with one and with two `serve`
# replicas on one database, and the latency of real adds at 200 req/s, in
# one sitting, using the shared load tools (../shared/bench: load,
# fakeslack). Usage, from the project's root:
#   docs/bench/replicas.sh [ROUNDS] [postgres://SERVER/DATABASE | sqlite]
# Each round starts on a new, empty database (a schema of its own on
# PostgreSQL, dropped afterwards; a new file for SQLite) and runs:
#   one replica, 8 workers for 5 s (closed loop);
#   two replicas on the same database, 4 workers each for 5 s (a load
#   balancer's even split), their req/s added;
#   one replica at 200 req/s for 5 s (open loop): p99.
# Each run sends as a user of its own: the load tool numbers its texts from
# 1 and reuses one trigger_id, so a second run as the same user would repeat
# the first's requests, which the bot refuses cheaply as replays.
# Needs Go, curl, and psql for PostgreSQL.
set -u
proj=$(pwd); rounds=${1:-3}; server=${2:-postgres://127.0.0.1:5432/test}
shared=$(cd "$proj/../shared/bench" && pwd)
tmp=$(mktemp -d); secret=8f742231b10e8888abcd99yyyzzz85a5
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/bot" ./cmd/upgradebot || exit 1
for d in load fakeslack; do (cd "$shared/$d" && go build -o "$tmp/$d" .) || exit 1; done
"$tmp/fakeslack" -addr 127.0.0.1:3099 >"$tmp/fake.log" 2>&1 & fake=$!
start() { # start PORT DB: starts a replica, sets pid
  SLACK_BOT_TOKEN=xoxb-load SLACK_SIGNING_SECRET=$secret SLACK_API_URL=http://127.0.0.1:3099/api/ \
    UPGRADEBOT_ADDR=127.0.0.1:$1 UPGRADEBOT_DB="$2" UPGRADEBOT_ADMINS=UADMIN UPGRADEBOT_CHANNEL=CTEAM \
    "$tmp/bot" serve >>"$tmp/bot.log" 2>&1 & pid=$!
  for _ in $(seq 50); do curl -s -o /dev/null -X POST "http://127.0.0.1:$1/slack/commands" && return; sleep 0.2; done
  echo "replica on $1 did not start"; cat "$tmp/bot.log"; exit 1
}
rps() { sed 's/.*rps=\([0-9]*\).*/\1/'; }
for r in $(seq "$rounds"); do
  if [ "$server" = sqlite ]; then
    db=$tmp/bench-$r.db
  else
    s=bench_$$_$r; psql "$server" -qc "CREATE SCHEMA $s" || exit 1
    case $server in *\?*) db="$server&search_path=$s";; *) db="$server?search_path=$s";; esac
  fi
  start 3003 "$db"; a=$pid
  one=$("$tmp/load" -url http://127.0.0.1:3003/slack/commands -user ULOAD1$r -c 8 -d 5s 2>&1)
  start 3004 "$db"; b=$pid
  "$tmp/load" -url http://127.0.0.1:3003/slack/commands -user ULOAD2$r -c 4 -d 5s >"$tmp/l1" 2>&1 & l=$!
  "$tmp/load" -url http://127.0.0.1:3004/slack/commands -user ULOAD3$r -c 4 -d 5s >"$tmp/l2" 2>&1
  wait $l
  two=$(( $(rps <"$tmp/l1") + $(rps <"$tmp/l2") ))
  kill $b; wait $b 2>/dev/null
  open=$("$tmp/load" -url http://127.0.0.1:3003/slack/commands -user ULOAD4$r -rate 200 -d 5s 2>&1)
  echo "round=$r one replica: $one | two replicas: rps=$two ($(cat "$tmp/l1") | $(cat "$tmp/l2")) | open200: $open"
  kill $a; wait $a 2>/dev/null
  [ "$server" = sqlite ] || psql "$server" -qc "SET client_min_messages = warning; DROP SCHEMA $s CASCADE"
done
kill $fake; wait $fake 2>/dev/null
