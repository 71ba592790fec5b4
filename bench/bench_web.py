"""Load on the workbench: the Lutece decision through the HTTP API, and the Lutece result page.

Run by hand from the repository root (needs the web extra):

    python bench/bench_web.py [--requests 2000] [--clients 20] [--deadline 600]

Starts ``coop serve --agreements examples/agreements`` on a free loopback port in its own
process, then 20 client threads (one keep-alive connection each) send 2,000 POST
/api/v1/reuse requests between them (the Lutece scenario with its SBOM and publiccode.yml),
bounded by the deadline. Prints errors, latency percentiles, throughput, and the server's
resident memory after the first 500 and after the last 500 requests. Then times the Lutece
result page (GET, 50 times, one client) and its rendering alone, in this process.

Targets (issue 14, a 2-core machine): no error, p95 under 150 ms, memory flat within 10%,
page render under 100 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
LUTECE = ROOT / "examples" / "lutece"
PAGE = "/?" + urlencode({"provider": "paris", "recipient": "baltimore", "name": "Lutece", "licence": "BSD-3-Clause",
                         "use": "network-service", "modified": "on", "date": "2025-06-10", "linking": "dynamic",
                         "attr_key_0": "source-public", "attr_value_0": "true", "attr_key_1": "classification",
                         "attr_value_1": "public"})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return -1


def body() -> bytes:
    scenario = {"provider": "paris", "recipient": "baltimore", "date": "2025-06-10",
                "solution": {"attributes": {"source-public": True, "classification": "public"}},
                "use": "network-service", "modified": True, "linking": "dynamic"}
    return json.dumps({"scenario": scenario, "sbom": (LUTECE / "sbom.spdx.json").read_text(),
                       "sbom_name": "sbom.spdx.json", "publiccode": (LUTECE / "publiccode.yml").read_text()}).encode()


def start(port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "coopengine", "serve", "--agreements", "examples/agreements",
                             "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            if proc.poll() is not None:
                why = proc.stderr.read().decode() if proc.stderr else ""
                raise SystemExit(f"coop serve exited: {why}") from None
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("coop serve did not start within 60 s")


def load(port: int, pid: int, total: int, clients: int, deadline: float) -> None:
    payload = body()
    lock = threading.Lock()
    issued = 0
    latencies: list[float] = []
    errors: list[str] = []
    memory: dict[int, int] = {}
    stop = time.monotonic() + deadline

    def worker() -> None:
        nonlocal issued
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                if issued >= total or time.monotonic() > stop:
                    break
                issued += 1
            t0 = time.perf_counter()
            try:
                conn.request("POST", "/api/v1/reuse", payload, {"content-type": "application/json"})
                resp = conn.getresponse()
                data = resp.read()
                ok = resp.status == 200 and b'"verdict": "permit"' in data
                if not ok:
                    with lock:
                        errors.append(f"HTTP {resp.status}: {data[:200]!r}")
            except (OSError, http.client.HTTPException) as err:
                with lock:
                    errors.append(repr(err))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            took = time.perf_counter() - t0
            with lock:
                latencies.append(took)
                done = len(latencies)
                if done in (500, total - 500, total):
                    memory[done] = rss_kib(pid)
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

    print(f"API  POST /api/v1/reuse (Lutece, SBOM and publiccode.yml in the body), {clients} clients")
    print(f"     requests: {len(latencies)} answered of {total} ({'deadline hit' if issued < total else 'all sent'}), "
          f"errors: {len(errors)}, wall {wall:.1f} s, {len(latencies) / wall:.0f} requests/s")
    print(f"     latency ms: p50 {pct(0.50):.0f}, p95 {pct(0.95):.0f}, p99 {pct(0.99):.0f}, max {pct(1.0):.0f}")
    if 500 in memory and total in memory:
        first, last = memory[500], memory[total]
        print(f"     server RSS: after the first 500 {first / 1024:.1f} MiB, after request {total - 500} "
              f"{memory.get(total - 500, -1) / 1024:.1f} MiB, after the last {last / 1024:.1f} MiB "
              f"({(last - first) / first * 100:+.1f}%)")
    for e in errors[:5]:
        print("     error:", e)


def pages(port: int, n: int = 50) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        conn.request("GET", PAGE)
        resp = conn.getresponse()
        data = resp.read()
        times.append(time.perf_counter() - t0)
        assert resp.status == 200 and b"Reuse allowed without an MOU" in data, data[:300]
    conn.close()
    times.sort()
    print(f"PAGE GET the Lutece result page, {n} times, one client: best {times[0] * 1000:.1f} ms, "
          f"median {statistics.median(times) * 1000:.1f} ms, p95 {times[int(0.95 * n)] * 1000:.1f} ms")


def render_only(n: int = 50) -> None:
    os.chdir(ROOT)
    from coopengine import decide_reuse
    from coopengine.explain_html import reuse_html, reuse_view

    # The example names ../agreements and ../lutece: trusted files of this repository.
    d = decide_reuse("examples/scenarios/lutece-standing-agreement.yaml", allow_outside=True).to_dict()
    reuse_html(d)  # templates compiled once, as in a running server
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        reuse_view(d)
        reuse_html(d)
        times.append(time.perf_counter() - t0)
    times.sort()
    print(f"RENDER the Lutece dossier from its JSON (templates compiled), {n} times: best {times[0] * 1000:.2f} ms, "
          f"median {statistics.median(times) * 1000:.2f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--deadline", type=float, default=600.0, help="seconds for the load run, at most")
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (other work shares them)")
    port = free_port()
    proc = start(port)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", PAGE)  # warm: the knowledge base and the templates
        conn.getresponse().read()
        conn.close()
        load(port, proc.pid, args.requests, args.clients, args.deadline)
        pages(port)
    finally:
        proc.terminate()
        proc.wait(10)
    render_only()


if __name__ == "__main__":
    main()
