#!/usr/bin/env bash
# N replicas of `modelatlas serve` behind nginx, sharing one Redis, on this host (README: "Running several replicas").
#
#   deploy/run-replicas.sh [REPLICAS=3] [PORT=8000]
#
# nginx listens on 127.0.0.1:PORT, the replicas on PORT+1 ... PORT+REPLICAS, Redis on REDIS_PORT (6379). Every
# other MODELATLAS_* variable of the caller reaches the replicas (MODELATLAS_ADMIN_TOKEN for rolling reloads,
# MODELATLAS_DATA_DIR, MODELATLAS_RATE_LIMIT, ...). Logs and nginx's files go to RUN_DIR. Ctrl-C stops them all.
# Needs: apt-get install -y redis-server nginx. On several hosts, run the replicas there, point
# MODELATLAS_REDIS_URL at the one Redis and MODELATLAS_TRUSTED_PROXIES at the balancer's address.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
replicas=${1:-3}
port=${2:-8000}
redis_port=${REDIS_PORT:-6379}
run_dir=${RUN_DIR:-${TMPDIR:-/tmp}/modelatlas-replicas}
modelatlas=${MODELATLAS:-modelatlas}
nginx=$(command -v nginx || echo /usr/sbin/nginx)
mkdir -p "$run_dir/redis" "$run_dir/nginx/tmp"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

wait_ready() {  # $1: port
    for _ in $(seq 1 600); do
        if python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$1/readyz', timeout=1)" \
            2>/dev/null; then return 0; fi
        sleep 0.1
    done
    echo "the replica on port $1 was not ready within 60 s (see $run_dir/replica-$1.log)" >&2
    return 1
}

redis-server "$here/redis.conf" --port "$redis_port" --dir "$run_dir/redis" --logfile "$run_dir/redis/redis.log" &
pids+=($!)

export MODELATLAS_HOST=127.0.0.1
export MODELATLAS_REDIS_URL=${MODELATLAS_REDIS_URL:-redis://127.0.0.1:$redis_port/0}
export MODELATLAS_TRUSTED_PROXIES=${MODELATLAS_TRUSTED_PROXIES:-127.0.0.1}  # nginx below connects from there
upstreams=""
for i in $(seq 1 "$replicas"); do
    p=$((port + i))
    MODELATLAS_PORT=$p "$modelatlas" serve >"$run_dir/replica-$p.log" 2>&1 &
    pids+=($!)
    [ "$i" -gt 1 ] || wait_ready "$p"  # the first one writes the compiled cache, the others start from it
    upstreams+="server 127.0.0.1:$p max_fails=1 fail_timeout=5s; "
done
for i in $(seq 2 "$replicas"); do wait_ready $((port + i)); done

sed -e "s|@PREFIX@|$run_dir/nginx|g" -e "s|@LISTEN@|127.0.0.1:$port|g" -e "s|@UPSTREAMS@|$upstreams|" \
    "$here/nginx.conf.in" >"$run_dir/nginx/nginx.conf"
"$nginx" -p "$run_dir/nginx" -e "$run_dir/nginx/error.log" -c "$run_dir/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
echo "modelatlas: http://127.0.0.1:$port/graphql -> $replicas replicas on ports $((port + 1))-$((port + replicas)), Redis on $redis_port; logs in $run_dir" >&2
wait -n "${pids[@]}"  # any of them exiting stops the rest
