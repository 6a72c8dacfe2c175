#!/usr/bin/env bash
# Install or upgrade Pokynano on Debian, Ubuntu or Raspberry Pi OS, from this source folder.
#
#   sudo ./install.sh                      # binary in /usr/local/bin, data in /var/lib/pokynano, systemd service
#   ./install.sh --prefix ~/.local --data-dir ~/pokynano-data --no-systemd
#
# Re-running it upgrades: the database is backed up first, the binary is replaced atomically,
# the data is kept, and the service is restarted.
set -euo pipefail

PREFIX=/usr/local
DATA_DIR=/var/lib/pokynano
SYSTEMD=1
SYSTEMD_DIR=/etc/systemd/system
CUSTOM_SYSTEMD_DIR=0
PORT=3000
PUBLIC_URL=""
SERVICE_USER=pokynano

usage() {
  cat <<USAGE
Usage: install.sh [options]
  --prefix DIR        install the binary as DIR/bin/pokynano (default /usr/local)
  --data-dir DIR      where the data lives (default /var/lib/pokynano)
  --port N            port the service listens on (default 3000)
  --public-url URL    URL users reach the instance at (e.g. https://chat.example.org)
  --user NAME         system user the service runs as (default pokynano)
  --no-systemd        do not create a user or a systemd service
  --systemd-dir DIR   write the unit file into DIR only (for packagers and tests; nothing is enabled)
  -h, --help          show this text
USAGE
}

die() { echo "install.sh: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX="${2:?--prefix needs a folder}"; shift 2 ;;
    --data-dir) DATA_DIR="${2:?--data-dir needs a folder}"; shift 2 ;;
    --port) PORT="${2:?--port needs a number}"; shift 2 ;;
    --public-url) PUBLIC_URL="${2:?--public-url needs a URL}"; shift 2 ;;
    --user) SERVICE_USER="${2:?--user needs a name}"; shift 2 ;;
    --no-systemd) SYSTEMD=0; shift ;;
    --systemd-dir) SYSTEMD_DIR="${2:?--systemd-dir needs a folder}"; CUSTOM_SYSTEMD_DIR=1; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option $1" ;;
  esac
done
case "$PORT" in ''|*[!0-9]*) die "--port must be a number" ;; esac

SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PREFIX="$(mkdir -p "$PREFIX" && cd "$PREFIX" && pwd)"
BIN="$PREFIX/bin/pokynano"
IS_ROOT=0; [ "$(id -u)" -eq 0 ] && IS_ROOT=1

# 1. Node and npm bring everything else (Bun itself is an npm devDependency).
if ! command -v npm >/dev/null 2>&1; then
  if [ "$IS_ROOT" -eq 1 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing Node.js and npm from Debian's packages"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
  else
    die "npm is missing: install Node.js 20+ and npm (sudo apt-get install -y nodejs npm), then re-run"
  fi
fi

# 2. Dependencies (including Bun), only when missing or out of date.
cd "$SRC"
if [ ! -x node_modules/.bin/bun ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> installing dependencies with npm ci"
  npm ci --no-audit --no-fund
fi

# 3. Build the single binary.
echo "==> building the binary"
node_modules/.bin/bun scripts/build.ts --outfile "$SRC/dist/pokynano"

# 4. Before replacing an installed binary, back up the database with it.
mkdir -p "$DATA_DIR"
if [ -x "$BIN" ] && [ -f "$DATA_DIR/pokynano.db" ]; then
  mkdir -p "$DATA_DIR/backups"
  backup="$DATA_DIR/backups/pre-upgrade-$(date -u +%Y%m%dT%H%M%SZ).db"
  echo "==> backing up the database to $backup"
  "$BIN" backup --out "$backup" --data-dir "$DATA_DIR"
fi

# 5. Install atomically: a running server keeps its old inode until it restarts.
install -d "$PREFIX/bin"
install -m 0755 "$SRC/dist/pokynano" "$BIN.new"
mv -f "$BIN.new" "$BIN"
echo "==> installed $BIN ($("$BIN" --version))"

# 6. The service.
write_unit() {
  local public=""
  [ -n "$PUBLIC_URL" ] && public=" --public-url $PUBLIC_URL"
  mkdir -p "$SYSTEMD_DIR"
  cat > "$SYSTEMD_DIR/pokynano.service" <<UNIT
[Unit]
Description=Pokynano community chat
Documentation=file://$SRC/docs/self-hosting.md
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=$SERVICE_USER
Group=$SERVICE_USER
ExecStart=$BIN serve --data-dir $DATA_DIR --port $PORT$public
Environment=POKYNANO_LOG_FORMAT=json
Restart=on-failure
RestartSec=2
TimeoutStopSec=20
KillSignal=SIGTERM
LimitNOFILE=65536
NoNewPrivileges=true
ProtectSystem=strict
ProtectHome=true
PrivateTmp=true
ReadWritePaths=$DATA_DIR

[Install]
WantedBy=multi-user.target
UNIT
  echo "==> wrote $SYSTEMD_DIR/pokynano.service"
}

if [ "$SYSTEMD" -eq 1 ] && [ "$CUSTOM_SYSTEMD_DIR" -eq 1 ]; then
  write_unit
elif [ "$SYSTEMD" -eq 1 ]; then
  [ "$IS_ROOT" -eq 1 ] || die "installing the service needs root (or pass --no-systemd)"
  if ! id "$SERVICE_USER" >/dev/null 2>&1; then
    useradd --system --home-dir "$DATA_DIR" --shell /usr/sbin/nologin "$SERVICE_USER"
  fi
  chown -R "$SERVICE_USER:$SERVICE_USER" "$DATA_DIR"
  chmod 0750 "$DATA_DIR"
  write_unit
  if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    systemctl enable pokynano.service >/dev/null
    systemctl restart pokynano.service
    echo "==> service started (journalctl -u pokynano -f to follow its log)"
  else
    echo "==> systemd is not running here; start it later with: systemctl enable --now pokynano"
  fi
fi

url="$PUBLIC_URL"
if [ -z "$url" ]; then
  host="$(hostname -I 2>/dev/null | awk '{print $1}')"
  url="http://${host:-localhost}:$PORT"
fi
echo
echo "Pokynano is installed. Open $url"
[ "$SYSTEMD" -eq 0 ] && echo "Start it with: $BIN serve --data-dir $DATA_DIR --port $PORT"
exit 0
