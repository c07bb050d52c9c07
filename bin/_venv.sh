# shellcheck shell=bash
# ensure_venv REQUIREMENTS: create .venv with python3.11 if needed and install REQUIREMENTS,
# skipping the install when the requirement files have not changed since the last one.
ensure_venv() {
  local req="$1" python="${PYTHON:-python3}" stamp
  if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
  fi
  stamp=".venv/.installed-$(cat requirements*.txt | sha256sum | cut -c1-16)-$(basename "$req")"
  if [ ! -f "$stamp" ]; then
    .venv/bin/python -m pip install --quiet -r "$req"
    touch "$stamp"
  fi
}
