#!/usr/bin/env bash
# The production install, tried on a copy of this checkout (the files git tracks or would
# add, as a fresh clone has them): `npm ci` and `npm run build` where the build tools are, then
# `npm ci --omit=dev` and `npm start` on a free port with a new DATA_DIR. The server must
# answer /healthz and serve the built web app, take POST /api/v1/setup, sign the admin in
# and list contacts, and stop cleanly on SIGTERM. Without a built web app, `npm start`
# must refuse with directions instead. Exits non-zero on the first step that fails.
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/contacts-production-XXXXXX")"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL -- "-$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
step() { printf '\n== production check: %s\n' "$*"; }

step "copying the checkout to $work/app"
mkdir -p "$work/app"
(cd "$src" && git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -T - -cf -) |
  tar -xf - -C "$work/app"
cd "$work/app"

step "npm ci && npm run build"
npm ci --no-audit --no-fund --loglevel=error
npm run build
test -f web/dist/index.html

step "npm ci --omit=dev"
npm ci --omit=dev --no-audit --no-fund --loglevel=error
if [ -e node_modules/vite ] || [ -e node_modules/vitest ]; then
  echo "a dev dependency is still installed after npm ci --omit=dev" >&2
  exit 1
fi

port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
step "npm start on port $port"
# Its own process group, so that stopping it reaches node under npm.
DATA_DIR="$work/data" PORT="$port" HOST=127.0.0.1 LOG_LEVEL=warn setsid npm start >"$work/server.log" 2>&1 &
server_pid=$!

if ! ORIGIN="http://127.0.0.1:$port" node --input-type=module -e '
  const origin = process.env.ORIGIN;
  const api = `${origin}/api/v1`;
  const fail = (message) => { console.error(message); process.exit(1); };
  const deadline = Date.now() + 120_000;
  for (;;) {
    try { if ((await fetch(`${origin}/healthz`)).ok) break; } catch {}
    if (Date.now() > deadline) fail("GET /healthz did not answer 200 within 120 s");
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log("GET /healthz 200");
  const page = await fetch(`${origin}/`);
  const html = await page.text();
  if (page.status !== 200 || !html.includes("<div id=\"root\"")) fail(`GET / answered ${page.status}: ${html.slice(0, 200)}`);
  console.log("GET / serves the built web app");
  const json = { "content-type": "application/json", origin };
  const account = { email: "admin@production.example", password: "a long production passphrase" };
  const setup = await fetch(`${api}/setup`, { method: "POST", headers: json,
    body: JSON.stringify({ workspaceName: "Production", name: "Admin", ...account }) });
  if (setup.status !== 201) fail(`POST /setup answered ${setup.status}: ${await setup.text()}`);
  console.log("POST /api/v1/setup 201");
  const login = await fetch(`${api}/auth/login`, { method: "POST", headers: json, body: JSON.stringify(account) });
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
  if (login.status !== 200 || !cookie) fail(`POST /auth/login answered ${login.status}: ${await login.text()}`);
  console.log("POST /api/v1/auth/login 200");
  const created = await fetch(`${api}/contacts`, { method: "POST", headers: { ...json, cookie },
    body: JSON.stringify({ firstName: "Zoë", lastName: "de Vries", phone: "+31612345678" }) });
  if (created.status !== 201) fail(`POST /contacts answered ${created.status}: ${await created.text()}`);
  const list = await fetch(`${api}/contacts?q=zoe`, { headers: { cookie } });
  const body = await list.json();
  if (list.status !== 200 || body.items?.length !== 1) fail(`GET /contacts answered ${list.status}: ${JSON.stringify(body)}`);
  console.log("GET /api/v1/contacts 200 with the contact");
'; then
  echo "--- server output:" >&2
  cat "$work/server.log" >&2
  exit 1
fi

step "stopping the server (SIGTERM to node, as systemd or docker stop send it)"
# The node process that npm started, in the process group of our `setsid npm start`.
node_pid=""
for stat in /proc/[0-9]*/stat; do
  read -r pid _ _ _ pgid _ <"$stat" 2>/dev/null || continue
  if [ "$pgid" = "$server_pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "scripts/start.mjs"; then
    case "$(tr '\0' ' ' <"/proc/$pid/cmdline")" in node*|*/node*) node_pid="$pid" ;; esac
  fi
done
if [ -z "$node_pid" ]; then
  echo "could not find the server's node process under npm start" >&2
  exit 1
fi
kill -TERM "$node_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""
if [ "$status" -ne 0 ]; then
  echo "the server exited with $status after SIGTERM:" >&2
  cat "$work/server.log" >&2
  exit 1
fi
echo "stopped cleanly"

step "npm start without a built web app"
rm -rf web/dist
status=0
DATA_DIR="$work/data" PORT="$port" npm start >"$work/nodist.log" 2>&1 || status=$?
if [ "$status" -eq 0 ] || ! grep -q "npm run build" "$work/nodist.log"; then
  echo "npm start without web/dist and without vite should refuse and say how to build; it exited $status:" >&2
  cat "$work/nodist.log" >&2
  exit 1
fi
echo "refused, saying: $(grep -m1 "not built" "$work/nodist.log")"

printf '\nproduction check: passed\n'
