#!/usr/bin/env python3
"""Real-client test of the HTML report: headless Chromium renders report/index.html (written from the test fixture by
report_browser_page) to a PNG. Passes when the PNG exists, is not blank (many distinct colours, not one flat
colour) and Chromium logged no console error or uncaught exception from the page.

usage: render_report.py WRITER WORKDIR   (keeps WORKDIR/report.png for a person to look at)
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

from osgeo import gdal


def main():
    writer, workdir = sys.argv[1], sys.argv[2]
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("chromium is not installed (apt-get install chromium)")
        return 1
    shutil.rmtree(workdir, ignore_errors=True)
    os.makedirs(workdir)
    page = subprocess.run([writer, workdir], check=True, capture_output=True, text=True).stdout.strip()
    png = os.path.join(workdir, "report.png")
    with tempfile.TemporaryDirectory() as profile:
        run = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--screenshot=" + png,
             "--window-size=1400,3000", "file://" + os.path.abspath(page)],
            capture_output=True, text=True, timeout=120)
    with open(os.path.join(workdir, "chromium.log"), "w") as log:
        log.write(run.stderr)
    failures = []
    if run.returncode != 0:
        failures.append("chromium exited with %d" % run.returncode)
    # Console messages of the page come as "[...:INFO:CONSOLE:1] "message", source: file://... (1)" lines.
    for line in run.stderr.splitlines():
        if re.search(r"CONSOLE[:(]\d+", line) or "Uncaught" in line or "Failed to load resource" in line:
            failures.append("console: " + line)
    if not os.path.exists(png):
        failures.append("no screenshot written")
    else:
        ds = gdal.Open(png)
        if ds is None:
            failures.append("screenshot is not a readable PNG")
        else:
            print("screenshot %d x %d, %d bands" % (ds.RasterXSize, ds.RasterYSize, ds.RasterCount))
            colours = set()
            data = [ds.GetRasterBand(b + 1).ReadRaster(0, 0, ds.RasterXSize, ds.RasterYSize)
                    for b in range(min(3, ds.RasterCount))]
            step = 97  # sample pixels across the page
            for i in range(0, len(data[0]), step):
                colours.add(tuple(band[i] for band in data))
            print("%d distinct colours in the sample" % len(colours))
            if len(colours) < 20:
                failures.append("screenshot looks blank (%d distinct colours)" % len(colours))
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
