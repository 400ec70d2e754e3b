"""An upload burst against the running atlas, without and with the readers' upload quota.

    .venv/bin/python benchmarks/bench_uploads.py [--files 120]

The issue-22 trial: one reader's session sends 120 files of 5 MB in a row straight to Streamlit's
upload route (``/_stcore/upload_file/<session>/<file>``, the session's own XSRF token), as fast as
its browser can. Two servers in turn, each pinned to core 1 (``taskset``), the browser on core 0:
``streamlit run dashboard.py`` (Streamlit's limit per file only) and ``streamlit run
pvd_geo/ui/server.py`` (the same pages through ``st.App`` with :mod:`pvd_geo.uploads`). Measured per
server: uploads accepted, seconds of the burst, server CPU seconds, resident memory before, after
the burst and 20 s after the tab closed. Appends one JSON line to benchmarks/results/uploads.jsonl.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    ARGS,
    CHROMIUM,
    ROOT,
    cpu_seconds,
    rss_mb,
    save_result,
    start_server,
    stop,
    wait_until_up,
)

BURST = """async ([url, count, size]) => {
  const token = decodeURIComponent((document.cookie.match(/(?:^|; )_streamlit_xsrf=([^;]*)/) || [])[1] || "");
  const blob = new Blob([new Uint8Array(size)]);
  const statuses = [];
  for (let i = 0; i < count; i++) {
    const body = new FormData();
    body.append("file", blob, `f${i}.csv`);
    try {
      const r = await fetch(url.replace(/[^/]+$/, `burst-${i}`),
                            {method: "PUT", body, headers: {"X-Xsrftoken": token}});
      statuses.push(r.status);
    } catch (e) { statuses.push(0); }
  }
  return statuses;
}"""


def burst(browser, url: str, pid: int, files: int, size: int) -> dict:
    context = browser.new_context()
    page = context.new_page()
    puts: list[str] = []
    page.on(
        "request", lambda r: r.method == "PUT" and "/_stcore/upload_file/" in r.url and puts.append(r.url)
    )
    page.goto(url + "/Donnees")
    page.locator("input[type='file']").first.wait_for(state="attached", timeout=60_000)
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as handle:
        handle.write("code_insee;nom\n30210;Quissac\n")
    page.locator("input[type='file']").first.set_input_files(handle.name)
    page.get_by_text("1 conservées", exact=False).first.wait_for(timeout=60_000)
    os.unlink(handle.name)
    time.sleep(2)
    before_rss, before_cpu = rss_mb(pid), cpu_seconds(pid)
    start = time.perf_counter()
    statuses = page.evaluate(BURST, [puts[0], files, size])
    seconds = time.perf_counter() - start
    cpu, after_rss = cpu_seconds(pid) - before_cpu, rss_mb(pid)
    context.close()
    time.sleep(20)
    return {
        "acceptes": sum(1 for s in statuses if 200 <= s < 300),
        "refuses": sum(1 for s in statuses if s == 413),
        "echecs_reseau": statuses.count(0),
        "duree_s": round(seconds, 2),
        "cpu_serveur_s": round(cpu, 2),
        "rss_avant_mo": round(before_rss),
        "rss_apres_mo": round(after_rss),
        "rss_20_s_apres_fermeture_mo": round(rss_mb(pid)),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=120)
    ap.add_argument("--size", type=int, default=5_000_000, help="bytes per file (Streamlit's limit: 5 MiB)")
    args = ap.parse_args()
    os.sched_setaffinity(0, {0})
    from playwright.sync_api import sync_playwright

    result: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "fichiers": args.files,
        "octets_par_fichier": args.size,
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip(),
    }
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for label, script in (("sans_quota", "dashboard.py"), ("avec_quota", "pvd_geo/ui/server.py")):
            proc, url = start_server({"MALLOC_ARENA_MAX": "2"}, core=1, script=script)
            try:
                wait_until_up(url, 120)
                result[label] = burst(browser, url, proc.pid, args.files, args.size)
                print(label, result[label], flush=True)
            finally:
                stop(proc)
        browser.close()
    save_result(result, "uploads")


if __name__ == "__main__":
    main()
