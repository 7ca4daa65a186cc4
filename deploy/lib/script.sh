# shellcheck shell=bash
# Shared by Freshen's shell scripts (source it; it is not a command): messages, colour only on a terminal, and a loud
# failure. No script may end non-zero without saying why: with this file sourced, any command that fails outside an
# `if`/`||`/`&&` stops the script with one line naming the step, the command, where it is, and the log to read.
#
#   script_name=stack; source "$repo/deploy/lib/script.sh"
#   step "starting the registry" "$state/registry/registry.log"   # what is being done now, and its log (optional)
#   say "ready"        # [stack] ready                       (stdout)
#   warn "slow"        # [stack] warning: slow              (stderr)
#   die "no registry"  # [stack] error: no registry, exit 1 (stderr)
#
# Set script_name before sourcing; it prefixes every message.

set -Eeuo pipefail

: "${script_name:=freshen}"
_step="" _step_log=""

# _line TEXT: one message line with the script's prefix, bold only when standard output is a terminal (logs and CI
# output stay free of escape codes). Call it with the redirection the message needs: `_line "x" >&2`.
_line() { if [ -t 1 ]; then printf '\033[1m[%s]\033[0m %s\n' "$script_name" "$1"; else printf '[%s] %s\n' "$script_name" "$1"; fi; }

say() { _line "$*"; }
warn() { _line "warning: $*" >&2; }
die() { _line "error: $*" >&2; exit 1; }

# step WHAT [LOG]: names what the script does from now on (and the log that tells more), for the failure message.
step() { _step=$1; _step_log=${2:-}; }

_on_error() {
  local rc=$1 line=$2 command=$3 file=${BASH_SOURCE[1]:-$0}
  trap - ERR
  _line "error: ${_step:-a step} failed: \`$command\` exited $rc (${file#"${repo:-}/"}:$line)${_step_log:+; log: $_step_log}" >&2
  if [ -n "$_step_log" ] && [ -f "$_step_log" ]; then
    _line "last lines of $_step_log:" >&2
    tail -n 15 "$_step_log" | sed 's/^/    /' >&2
  fi
  exit "$rc"
}
# A command failing inside a function returns from the function with its status, up to the script's top level, where
# the failure is reported: inside, standard error may be redirected to a log (`push >>"$log" 2>&1`), and the message
# would end up there instead of on the terminal. (No saved copy of stderr: daemons started in the background would
# inherit it and hold a caller's pipe open.)
trap '_rc=$?; if [ -n "${FUNCNAME[0]:-}" ]; then return "$_rc"; fi; _on_error "$_rc" "$LINENO" "$BASH_COMMAND"' ERR
