#!/usr/bin/env bash
# The GitHub Action's work (action.yml runs this), kept in a script so that it runs and is
# tested outside GitHub too: find or install kraken-doctor, run `check` with the inputs, write
# the JUnit file, and say what happened in GITHUB_OUTPUT and, when `check` could not report,
# in the job summary. `check` itself writes the job summary and the annotations under
# GITHUB_ACTIONS=true. Exits with `check`'s exit code.
#
# Inputs, from the environment (action.yml maps its inputs to these):
#   KD_KRAKEN, KD_TEST_ENV (true/false), KD_AUTH_URL, KD_API_URL, KD_CLIENT_ID,
#   KD_CLIENT_SECRET (else KRAKEN_CLIENT_SECRET as inherited), KD_PROPERTY_ID,
#   KD_SUPPLY_POINT, KD_MARKET_NAME, KD_STRICT (true/false), KD_ONLY, KD_SKIP (comma lists),
#   KD_ARGS (more arguments, split on spaces), KD_JUNIT_FILE (default
#   $RUNNER_TEMP/kraken-doctor-junit.xml), KD_BIN (a kraken-doctor to use as it is).
set -euo pipefail

action_path=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
scratch=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
junit=${KD_JUNIT_FILE:-$scratch/kraken-doctor-junit.xml}

# The secret travels in the environment only: never as an argument, never in the log.
if [ -n "${KD_CLIENT_SECRET:-}" ]; then
  export KRAKEN_CLIENT_SECRET="$KD_CLIENT_SECRET"
fi
unset KD_CLIENT_SECRET

# The binary: KD_BIN, else kraken-doctor on PATH at this action's version, else built from
# the action's own source (cached under RUNNER_TEMP for later steps of the job).
version=$(sed -n 's/^version = "\([^"]*\)"$/\1/p' "$action_path/Cargo.toml" | head -n 1)
bin=${KD_BIN:-}
if [ -z "$bin" ]; then
  found=$(command -v kraken-doctor || true)
  if [ -n "$found" ] && "$found" --version 2>/dev/null | grep -Eq "^kraken-doctor ${version//./\\.}( |$)"; then
    bin=$found
    echo "kraken-doctor $version found at $bin"
  else
    root="$scratch/kraken-doctor-$version"
    if [ ! -x "$root/bin/kraken-doctor" ]; then
      echo "installing kraken-doctor $version from $action_path"
      cargo install --locked --quiet --path "$action_path" --root "$root"
    fi
    bin="$root/bin/kraken-doctor"
  fi
fi

args=(check --format junit --output "$junit")
add() { # add FLAG VALUE: the flag with its value, when the value is not empty
  if [ -n "$2" ]; then args+=("$1" "$2"); fi
}
add --kraken "${KD_KRAKEN:-}"
if [ "${KD_TEST_ENV:-false}" = true ]; then args+=(--test-env); fi
add --auth-url "${KD_AUTH_URL:-}"
add --api-url "${KD_API_URL:-}"
add --client-id "${KD_CLIENT_ID:-}"
add --property-id "${KD_PROPERTY_ID:-}"
add --supply-point "${KD_SUPPLY_POINT:-}"
add --market-name "${KD_MARKET_NAME:-}"
add --only "${KD_ONLY:-}"
add --skip "${KD_SKIP:-}"
if [ "${KD_STRICT:-false}" = true ]; then args+=(--strict); fi
if [ -n "${KD_ARGS:-}" ]; then
  read -r -a extra <<< "$KD_ARGS"
  args+=("${extra[@]}")
fi

mkdir -p "$(dirname "$junit")"
rm -f "$junit"
code=0
"$bin" "${args[@]}" || code=$?

case $code in
  0) verdict=clean ;;
  1) verdict=failed ;;
  2) verdict=usage ;;
  3) verdict=undecided ;;
  *) verdict=unknown ;;
esac
written=$junit
[ -f "$junit" ] || written=
echo "kraken-doctor: exit $code ($verdict)${written:+; JUnit in $written}"

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$code"
    echo "verdict=$verdict"
    echo "junit-file=$written"
  } >> "$GITHUB_OUTPUT"
fi
# Exit 2 (and a crash) happen before any report: say so where the report would have been.
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -z "$written" ]; then
  printf '### kraken-doctor\n\n**exit %s** (%s): no report; the step log says why.\n' \
    "$code" "$verdict" >> "$GITHUB_STEP_SUMMARY"
fi
exit "$code"
