"""Requests per second under gunicorn (2 workers, loopback), driven by wrk.

"cached" repeats one URL, so a page cache (if the portal has one) answers;
"uncached" gives every request a different URL (other articles, other search
terms, and a unique `_` parameter), so no cache entry is ever reused.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from django.conf import settings

STARTUP_SECONDS = 60
WRK_SCRIPT = """
local paths = {%(paths)s}
local counter = 0
local created = 0
setup = function(thread)
  thread:set("offset", created * 7919)
  created = created + 1
end
request = function()
  counter = counter + 1
  offset = offset or 0
  local path = paths[((counter + offset) %% #paths) + 1]
  if %(unique)s then
    local sep = string.find(path, "?", 1, true) and "&" or "?"
    path = path .. sep .. "_=" .. offset .. "-" .. counter
  end
  return wrk.format("GET", path, {["X-Forwarded-Proto"] = "https"})
end
done = function(summary, latency, requests)
  io.write(string.format(
    "WRKJSON{\\"requests\\":%%d,\\"duration_us\\":%%d,\\"p50_us\\":%%d," ..
    "\\"p95_us\\":%%d,\\"p99_us\\":%%d,\\"non2xx\\":%%d,\\"socket_errors\\":%%d}\\n",
    summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout))
end
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env():
    """Production-like settings for the server: debug off, loopback host only."""
    env = dict(os.environ)
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or "benchmark-only-secret-key",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    return env


def collect_static(env):
    # Debug off serves hashed static names, which need collectstatic first.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        timeout=600,
    )


def start_gunicorn(env, port, log):
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi:application",
        "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
    ]  # fmt: skip
    return subprocess.Popen(
        command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=log
    )


def wait_ready(base, process):
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            # As wrk does: gunicorn trusts X-Forwarded-Proto from loopback, so
            # the answer is the page, not the redirect to https.
            request = urllib.request.Request(
                base + "/robots.txt", headers={"X-Forwarded-Proto": "https"}
            )
            urllib.request.urlopen(request, timeout=2)
            return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            time.sleep(0.3)
    return False


def fetch_status(url):
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def run_wrk(base, paths, *, unique, seconds, folder):
    script = os.path.join(folder, f"paths-{len(paths)}-{unique}.lua")
    quoted = ", ".join(json.dumps(p) for p in paths)
    with open(script, "w", encoding="utf-8") as handle:
        handle.write(WRK_SCRIPT % {"paths": quoted, "unique": str(unique).lower()})
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "10s", "-s", script]
    result = subprocess.run(
        command + [base + "/"],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    return parse_wrk(result.stdout)


def parse_wrk(output):
    for line in output.splitlines():
        if line.startswith("WRKJSON"):
            raw = json.loads(line[len("WRKJSON") :])
            seconds = raw["duration_us"] / 1e6
            return {
                "requests": raw["requests"],
                "requests_per_second": round(raw["requests"] / seconds, 1),
                "p50_ms": round(raw["p50_us"] / 1000, 2),
                "p95_ms": round(raw["p95_us"] / 1000, 2),
                "p99_ms": round(raw["p99_us"] / 1000, 2),
                "non_2xx_3xx": raw["non2xx"],
                "socket_errors": raw["socket_errors"],
            }
    return {"error": "wrk printed no result", "output": output[-500:]}


def measure(targets, *, seconds, out):
    """targets: {page: (cached_path, [uncached paths])} -> results per page."""
    if shutil.which("wrk") is None:
        return {
            "available": False,
            "note": "wrk is not installed (apt-get install wrk)",
        }
    env = server_env()
    collect_static(env)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as folder:
        log_path = os.path.join(folder, "gunicorn.log")
        with open(log_path, "w") as log:
            process = start_gunicorn(env, port, log)
            try:
                if not wait_ready(base, process):
                    return {"available": False, "note": "gunicorn did not start"}
                pages = _drive(base, targets, seconds, folder, out, process)
            finally:
                process.terminate()
                process.wait(timeout=30)
        return {"available": True, "workers": 2, "seconds": seconds, "pages": pages}


def _drive(base, targets, seconds, folder, out, server):
    pages = {}
    for page, (cached_path, uncached_paths) in targets.items():
        status = fetch_status(base + cached_path)
        pages[page] = {
            "status": status,
            "cached": _run_counted(server, base, [cached_path], unique=False,
                                   seconds=seconds, folder=folder),
            "uncached": _run_counted(server, base, uncached_paths, unique=True,
                                     seconds=seconds, folder=folder),
        }  # fmt: skip
        out(f"http: {page} {pages[page]}")
    return pages


def _run_counted(server, base, paths, **options):
    """run_wrk, plus the gunicorn processes' CPU time per request: unlike the
    rate, it hardly depends on what else shares the machine's cores (with
    PostgreSQL, the database server's own work is not in it)."""
    before = server_cpu_seconds(server.pid)
    result = run_wrk(base, paths, **options)
    after = server_cpu_seconds(server.pid)
    if before is not None and after is not None and result.get("requests"):
        per_request = (after - before) * 1000 / result["requests"]
        result["server_cpu_ms_per_request"] = round(per_request, 2)
    return result


def server_cpu_seconds(pid):
    """User + system CPU seconds of gunicorn's master and its workers so far,
    from /proc (None where there is no /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    try:
        entries = [name for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return None
    for name in entries:
        try:
            with open(f"/proc/{name}/stat", encoding="ascii") as handle:
                fields = handle.read().rpartition(")")[2].split()
        except (OSError, UnicodeDecodeError):
            continue  # gone meanwhile, or not ours to read
        # After the name: state, ppid, ... utime and stime are the 12th and 13th.
        if int(name) == pid or int(fields[1]) == pid:
            total += int(fields[11]) + int(fields[12])
    return total / ticks
