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

# The script's own standard error, kept for _on_error: a command that fails inside a function whose output is
# redirected to a log (`build >"$log" 2>&1`) must still be reported on the terminal, not only in that log.
exec {_stderr}>&2

_on_error() {
  local rc=$1 line=$2 command=$3 file=${BASH_SOURCE[1]:-$0}
  trap - ERR
  {
    _line "error: ${_step:-a step} failed: \`$command\` exited $rc (${file#"${repo:-}/"}:$line)${_step_log:+; log: $_step_log}"
    if [ -n "$_step_log" ] && [ -f "$_step_log" ]; then
      _line "last lines of $_step_log:"
      tail -n 15 "$_step_log" | sed 's/^/    /'
    fi
  } >&"$_stderr"
  exit "$rc"
}
trap '_on_error $? $LINENO "$BASH_COMMAND"' ERR
