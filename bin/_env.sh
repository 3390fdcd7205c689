# Shared by bin/run and bin/test: find Python 3.11 and keep .venv/ in step with the requirements.
log() { printf '\n== %s\n' "$*"; }

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      echo "$candidate"; return 0
    fi
  done
  echo "RightPath needs Python 3.11 (set PYTHON=/path/to/python3.11)." >&2
  return 1
}

ensure_venv() {
  local req=$1 stamp
  if [ ! -x .venv/bin/python ]; then
    log "creating .venv/"
    "$(find_python)" -m venv .venv
  fi
  stamp=".venv/.installed-$(cat requirements*.txt | sha256sum | cut -c1-16)-$(basename "$req")"
  if [ ! -f "$stamp" ]; then
    log "installing $req into .venv/"
    PIP_DISABLE_PIP_VERSION_CHECK=1 .venv/bin/pip install -q -r "$req"
    touch "$stamp"
  fi
}
