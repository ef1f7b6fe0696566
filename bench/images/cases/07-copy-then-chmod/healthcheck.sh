#!/bin/sh
# Healthy when the index page answers.
exec curl --fail --silent --show-error --max-time 2 "http://127.0.0.1:${PORT:-8080}/" -o /dev/null
