#!/usr/bin/env bash
# The @runlog/tensorboard tests check event files against TensorBoard's own Python reader and writer.
# Creates a virtualenv with the `tensorboard` pip package in .tmp/tb-venv (or $RUNLOG_TB_VENV); installs
# python3-venv with apt when `python3 -m venv` cannot make one. Does nothing when the venv already works.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${RUNLOG_TB_VENV:-.tmp/tb-venv}"
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import tensorboard" >/dev/null 2>&1; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
apt_install() {
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}
if ! command -v python3 >/dev/null 2>&1; then apt_install python3 python3-venv; fi
rm -rf "$VENV"
mkdir -p "$(dirname "$VENV")"
if ! python3 -m venv "$VENV" >/dev/null 2>&1; then
  rm -rf "$VENV"
  apt_install python3-venv
  python3 -m venv "$VENV"
fi
echo "installing the tensorboard pip package into $VENV for the tensorboard tests (about 30 s)..."
"$VENV/bin/pip" install -q --disable-pip-version-check --retries 1 --timeout 20 tensorboard 2>&1 \
  | grep -v -e "^WARNING: Retrying" -e "^WARNING: Location" || true
"$VENV/bin/python" -c "import tensorboard; print('tensorboard', tensorboard.__version__, 'in $VENV')"
