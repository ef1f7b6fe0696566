#!/bin/sh
# Healthy when the upstream answers within two seconds.
exec curl --fail --silent --show-error --max-time 2 "${UPSTREAM_URL:-http://127.0.0.1:8080/health}" -o /dev/null
