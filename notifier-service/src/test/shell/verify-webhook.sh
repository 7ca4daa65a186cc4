#!/bin/sh
# Verifies a Standard Webhooks signature with openssl, as docs/notifications.md shows a receiver doing it (keep the two
# in step). Environment: SECRET (one secret, whsec_... or plain), WEBHOOK_ID, WEBHOOK_TIMESTAMP, WEBHOOK_SIGNATURE (the
# headers as received). Argument: the file holding the raw body. Exit 0 and "valid" when one v1 signature matches and
# the timestamp is within 5 minutes of now; 1 otherwise. (A shell comparison is not constant-time: fine for checking
# by hand, use a library in a server.)
set -eu
body_file=$1
case "$SECRET" in
  whsec_*) key_hex=$(printf %s "${SECRET#whsec_}" | base64 -d | od -An -v -tx1 | tr -d ' \n') ;;
  *)       key_hex=$(printf %s "$SECRET" | od -An -v -tx1 | tr -d ' \n') ;;
esac
expected="v1,$({ printf '%s.%s.' "$WEBHOOK_ID" "$WEBHOOK_TIMESTAMP"; cat "$body_file"; } \
  | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key_hex" -binary | base64)"
age=$(( $(date +%s) - WEBHOOK_TIMESTAMP ))
if [ "$age" -gt 300 ] || [ "$age" -lt -300 ]; then echo "timestamp too far from now"; exit 1; fi
case " $WEBHOOK_SIGNATURE " in
  *" $expected "*) echo valid ;;
  *) echo "no matching signature"; exit 1 ;;
esac
