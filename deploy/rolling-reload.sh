#!/usr/bin/env bash
# Reload the data of each replica in turn (POST /admin/reload on its own port), stopping at the first that refuses.
#
#   MODELATLAS_ADMIN_TOKEN=... deploy/rolling-reload.sh PORT [PORT ...]     (host: RELOAD_HOST, 127.0.0.1)
#
# Each replica swaps to the new data only once it has built and validated it, and a request is answered from one
# data version start to end, so during the roll every answer is of the old or of the new version, never a mix.
set -euo pipefail
: "${MODELATLAS_ADMIN_TOKEN:?set MODELATLAS_ADMIN_TOKEN to the admin token of the replicas}"
host=${RELOAD_HOST:-127.0.0.1}
for port in "$@"; do
    answer=$(python3 - "$host" "$port" <<'PY'
import json, os, sys, urllib.error, urllib.request
host, port = sys.argv[1], sys.argv[2]
request = urllib.request.Request(f"http://{host}:{port}/admin/reload", method="POST",
                                 headers={"Authorization": "Bearer " + os.environ["MODELATLAS_ADMIN_TOKEN"]})
try:
    with urllib.request.urlopen(request, timeout=300) as response:
        print(response.read().decode())
except urllib.error.HTTPError as exc:
    print(exc.read().decode())
    sys.exit(1)
PY
) || { echo "replica $host:$port refused the reload: $answer" >&2; exit 1; }
    echo "replica $host:$port: $answer"
done
