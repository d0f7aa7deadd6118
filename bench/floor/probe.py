"""One floor-probe case for floor.sh: runs a .sql file's SELECT N times (after a warm-up) as EXPLAIN (ANALYZE, TIMING OFF,
FORMAT JSON) in one psql session, and prints a table row: slice | shape | p50 execution ms | backend CPU ms per run | rows read.
Usage: probe.py SLICE SHAPE N FILE psql-command-and-arguments..."""
import json, os, subprocess, sys

slice_name, shape, n, path, psql = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:]
body = "\n".join(l for l in open(path).read().splitlines() if not l.lstrip().startswith("--")).strip().rstrip(";")
p = subprocess.Popen(psql + ["-f", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)

def ask(sql):
    """Sends one statement and a marker, returns the statement's output (psql answers in order)."""
    p.stdin.write(sql + ";\nSELECT '__done';\n"); p.stdin.flush()
    lines = []
    for line in p.stdout:
        if line.rstrip("\n") == "__done":
            return "\n".join(lines)
        lines.append(line.rstrip("\n"))
    raise SystemExit(f"| {slice_name} | {shape} | error | | {' '.join(lines)[:200]} |")

def cpu_ticks(pid):
    try:
        f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return int(f[11]) + int(f[12])  # utime + stime (fields 14, 15)
    except OSError:
        return None  # the server is on another machine

def rows(node):
    own = node.get("Actual Rows", 0) * node.get("Actual Loops", 1) if "Scan" in node["Node Type"] else 0
    return own + sum(rows(c) for c in node.get("Plans", []))

pid = ask("SELECT pg_backend_pid()").strip()
explain = "EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + body
try:
    first = json.loads(ask(explain))
except ValueError as e:
    raise SystemExit(f"| {slice_name} | {shape} | error | | {e} |")
t0 = cpu_ticks(pid)
times = sorted(json.loads(ask(explain))[0]["Execution Time"] for _ in range(n))
t1 = cpu_ticks(pid)
p.stdin.close(); p.wait()
cpu = f"{(t1 - t0) * 1000 / os.sysconf('SC_CLK_TCK') / n:.1f}" if t0 is not None and t1 is not None else "n/a"
print(f"| {slice_name} | {shape} | {times[(n - 1) // 2]:.1f} | {cpu} | {rows(first[0]['Plan'])} |")
