#!/bin/sh
# Start the file server, or run the given command instead.
set -e
if [ "$1" = "serve" ]; then
    exec python3 -m http.server --directory /home/app/site "${PORT:-8080}"
fi
exec "$@"
