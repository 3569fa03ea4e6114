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
#   $RUNNER_TEMP/kraken-doctor-junit.xml), KD_BIN (a kraken-doctor to use as it is),
#   KD_RELEASE_URL (base URL of the release archives: the archive is
#   $KD_RELEASE_URL/v<version>/kraken-doctor-<version>-<target>.tar.gz, .zip on Windows, with
#   <archive>.sha256 beside it; default: the action's repository's GitHub releases).
set -euo pipefail

action_path=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
scratch=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
junit=${KD_JUNIT_FILE:-$scratch/kraken-doctor-junit.xml}

# The secret travels in the environment only: never as an argument, never in the log.
if [ -n "${KD_CLIENT_SECRET:-}" ]; then
  export KRAKEN_CLIENT_SECRET="$KD_CLIENT_SECRET"
fi
unset KD_CLIENT_SECRET

# The binary, in this order: KD_BIN as it is; kraken-doctor on PATH at this action's version;
# one this job installed already (under RUNNER_TEMP); the release archive for this version and
# the runner's platform, checksum verified before it is unpacked; and only when no such
# archive exists (HTTP 404, or a platform without one), built from the action's own source.
version=$(sed -n 's/^version *= *"\([^"]*\)".*$/\1/p' "$action_path/Cargo.toml" | head -n 1)
root="$scratch/kraken-doctor-$version"

# The runner's platform as a release target: the targets .github/workflows/release.yml builds.
release_target() {
  local os=${RUNNER_OS:-$(uname -s)} arch=${RUNNER_ARCH:-$(uname -m)}
  case $os in
    Linux) os=linux ;;
    macOS | Darwin) os=macos ;;
    Windows | MINGW* | MSYS* | CYGWIN*) os=windows ;;
  esac
  case $arch in
    X64 | x86_64 | amd64 | AMD64) arch=x86_64 ;;
    ARM64 | arm64 | aarch64) arch=aarch64 ;;
  esac
  case $os-$arch in
    linux-x86_64) echo x86_64-unknown-linux-musl ;;
    linux-aarch64) echo aarch64-unknown-linux-musl ;;
    macos-x86_64) echo x86_64-apple-darwin ;;
    macos-aarch64) echo aarch64-apple-darwin ;;
    windows-x86_64) echo x86_64-pc-windows-msvc ;;
  esac
}
target=$(release_target)
exe=kraken-doctor
case $target in
  *windows*) exe=kraken-doctor.exe ;;
esac

# Says why the action cannot go on, as an annotation and in the job summary; exits 1, leaving
# nothing of a download behind.
work=
die() {
  if [ -n "$work" ]; then rm -rf "$work"; fi
  echo "::error title=kraken-doctor action::$*"
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    printf '### kraken-doctor\n\n**not run**: %s\n' "$*" >> "$GITHUB_STEP_SUMMARY"
  fi
  exit 1
}

# download URL FILE: 0 when saved, 4 when the server answers 404, else 1 with the reason on
# stderr. curl, else wget: GitHub's runners have curl (Git Bash on Windows too).
download() {
  local status
  if command -v curl >/dev/null; then
    status=$(curl --silent --show-error --location --retry 3 --connect-timeout 20 \
      --output "$2" --write-out '%{http_code}' "$1") || return 1
  elif command -v wget >/dev/null; then
    local log
    if log=$(wget --quiet --server-response --tries=3 --timeout=20 --output-document="$2" "$1" 2>&1); then
      return 0
    fi
    status=$(printf '%s\n' "$log" | sed -n 's|^ *HTTP/[0-9.]* \([0-9][0-9][0-9]\).*|\1|p' | tail -n 1)
    [ -n "$status" ] || { printf '%s\n' "$log" >&2; return 1; }
  else
    echo "neither curl nor wget is installed" >&2
    return 1
  fi
  case $status in
    200) return 0 ;;
    404) return 4 ;;
    *) echo "HTTP $status from $1" >&2; return 1 ;;
  esac
}

# sha256 of a file: sha256sum on Linux and in Git Bash on Windows, shasum on macOS.
sha256_of() {
  if command -v sha256sum >/dev/null; then
    sha256sum "$1" | cut -d ' ' -f 1 | sed 's/^\\//'
  else
    shasum -a 256 "$1" | cut -d ' ' -f 1
  fi
}

# Downloads, verifies and unpacks the release archive into $root/bin. Returns 4 when there is
# no archive to download (no platform, no repository, or HTTP 404); any other failure stops
# the action.
install_release() {
  if [ -z "$target" ]; then
    echo "no release archive for this platform (${RUNNER_OS:-$(uname -s)} ${RUNNER_ARCH:-$(uname -m)})"
    return 4
  fi
  local base=${KD_RELEASE_URL:-}
  if [ -z "$base" ]; then
    local repo=${GITHUB_ACTION_REPOSITORY:-${GITHUB_REPOSITORY:-}}
    if [ -z "$repo" ]; then
      echo "no release URL (KD_RELEASE_URL) and no GitHub repository to download from"
      return 4
    fi
    base="${GITHUB_SERVER_URL:-https://github.com}/$repo/releases/download"
  fi
  local name="kraken-doctor-$version-$target" archive
  case $target in
    *windows*) archive="$name.zip" ;;
    *) archive="$name.tar.gz" ;;
  esac
  local url="${base%/}/v$version/$archive"
  work=$(mktemp -d "$scratch/kraken-doctor-download.XXXXXX")
  local code=0
  download "$url" "$work/$archive" || code=$?
  if [ "$code" = 4 ]; then
    rm -rf "$work"
    work=
    echo "no release archive at $url (HTTP 404)"
    return 4
  fi
  [ "$code" = 0 ] || die "could not download $url"
  download "$url.sha256" "$work/$archive.sha256" ||
    die "could not download the checksum $url.sha256: refusing to unpack $archive unverified"

  # The checksum file: "<64 hex digits>  <archive name>", as sha256sum writes it.
  local expected named actual
  read -r expected named < "$work/$archive.sha256" || true
  expected=$(printf '%s' "$expected" | tr 'A-F' 'a-f')
  named=${named#\*}
  if ! [[ $expected =~ ^[0-9a-f]{64}$ ]] || [ "$named" != "$archive" ]; then
    die "$url.sha256 is not a sha256 checksum of $archive: refusing to unpack it"
  fi
  actual=$(sha256_of "$work/$archive")
  if [ "$actual" != "$expected" ]; then
    die "checksum mismatch for $archive from $url: expected sha256 $expected (from $archive.sha256), got sha256 $actual; refusing to unpack or run it"
  fi
  echo "kraken-doctor $version: $archive from $url, sha256 $actual verified"

  mkdir "$work/unpacked" || return 1
  case $archive in
    *.zip)
      if command -v unzip >/dev/null; then
        unzip -q "$work/$archive" -d "$work/unpacked"
      elif command -v 7z >/dev/null; then
        7z x -bso0 -bsp0 "-o$work/unpacked" "$work/$archive"
      else
        powershell -NoProfile -Command "Expand-Archive -LiteralPath '$work/$archive' -DestinationPath '$work/unpacked'"
      fi
      ;;
    *) tar -xzf "$work/$archive" -C "$work/unpacked" ;;
  esac
  [ -f "$work/unpacked/$name/$exe" ] || die "$archive holds no $name/$exe"
  mkdir -p "$root/bin" && mv "$work/unpacked/$name/$exe" "$root/bin/$exe" &&
    chmod +x "$root/bin/$exe" || return 1
  rm -rf "$work"
  work=
}

bin=${KD_BIN:-}
if [ -z "$bin" ]; then
  found=$(command -v kraken-doctor || true)
  if [ -n "$found" ] && "$found" --version 2>/dev/null | grep -Eq "^kraken-doctor ${version//./\\.}( |$)"; then
    bin=$found
    echo "kraken-doctor $version found at $bin"
  elif [ -x "$root/bin/$exe" ]; then
    bin="$root/bin/$exe"
    echo "kraken-doctor $version already installed at $bin"
  else
    code=0
    install_release || code=$?
    case $code in
      0) ;;
      4)
        echo "building kraken-doctor $version from source: cargo install from $action_path"
        cargo install --locked --quiet --path "$action_path" --root "$root"
        ;;
      *) die "could not install kraken-doctor $version from its release archive" ;;
    esac
    bin="$root/bin/$exe"
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
