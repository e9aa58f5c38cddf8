"""A small Chrome DevTools Protocol client over --remote-debugging-pipe (no websocket library needed): Chromium reads
commands as NUL-terminated JSON from file descriptor 3 and writes replies and events to file descriptor 4.

    with Browser() as b:
        page = b.open("file:///.../index.html", width=390, height=844, mobile=True)
        page.evaluate("document.title")
        page.screenshot("shot.png")
        page.console, page.exceptions, page.requests   # everything the page logged, threw and fetched

Used by the report tests (tests/browser/render_report.py) to check the pages as a person's browser shows them.
"""
import base64
import json
import os
import shutil
import subprocess
import tempfile
import time

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--remote-debugging-pipe", "--hide-scrollbars", "--font-render-hinting=none"]


def chromium_path():
    return shutil.which("chromium") or shutil.which("chromium-browser")


class CdpError(RuntimeError):
    pass


class Browser:
    def __init__(self, timeout=60):
        self.timeout = timeout
        self._next_id = 0
        self._buffer = b""
        self._events = []

    def __enter__(self):
        binary = chromium_path()
        if binary is None:
            raise CdpError("chromium is not installed (apt-get install chromium)")
        self._profile = tempfile.TemporaryDirectory()
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # The child sees our pipe ends as its fds 3 (commands in) and 4 (replies out); copied to fds above them first,
        # so that neither copy can overwrite the other.
        def child_fds():
            a = os.dup(to_browser_r)
            b = os.dup(from_browser_w)
            while a <= 4 or b <= 4:
                a2, b2 = os.dup(a), os.dup(b)
                a, b = a2, b2
            os.dup2(a, 3)
            os.dup2(b, 4)
        self.log = open(os.path.join(self._profile.name, "chromium.log"), "w+")
        self._process = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, "--user-data-dir=" + self._profile.name, "about:blank"],
            pass_fds=(3, 4), preexec_fn=child_fds, stdout=self.log, stderr=self.log,
            close_fds=True)
        os.close(to_browser_r)
        os.close(from_browser_w)
        return self

    def __exit__(self, *exc):
        try:
            self.send("Browser.close")
        except Exception:  # noqa: BLE001 - closing anyway
            pass
        try:
            self._process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
        self.log.close()
        self._profile.cleanup()

    def _read_message(self, deadline):
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise CdpError("Chromium did not answer in time")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise CdpError("Chromium closed the pipe (exit code %s)" % self._process.poll())
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, params=None, session=None):
        self._next_id += 1
        request = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            request["sessionId"] = session
        os.write(self._to_browser, json.dumps(request).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            message = self._read_message(deadline)
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise CdpError("%s: %s" % (method, message["error"]))
                return message.get("result", {})
            self._events.append(message)

    def wait_for(self, method, session, timeout=None):
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            for i, event in enumerate(self._events):
                if event.get("method") == method and event.get("sessionId") == session:
                    return self._events.pop(i)
            self._events.append(self._read_message(deadline))

    def events(self, session):
        return [e for e in self._events if e.get("sessionId") == session]

    def open(self, url, width, height, mobile=False):
        """A new tab of width x height CSS pixels showing `url`, after its load event and idle network."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session, mobile)
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.send(domain + ".enable", session=session)
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}, session=session)
        self.send("Page.navigate", {"url": url}, session=session)
        self.wait_for("Page.loadEventFired", session)
        page.settle()
        return page


class Page:
    def __init__(self, browser, session, mobile=False):
        self.browser = browser
        self.session = session
        self.mobile = mobile

    def send(self, method, params=None):
        return self.browser.send(method, params, session=self.session)

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True})
        if "exceptionDetails" in result:
            raise CdpError("%s: %s" % (expression, result["exceptionDetails"]))
        return result["result"].get("value")

    def settle(self, seconds=0.5):
        """Lets the page finish scripts, image decoding and layout (two animation frames, then a pause)."""
        self.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        time.sleep(seconds)
        self.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")

    def screenshot(self, path, full_page=True):
        """A PNG of the viewport, or of the whole page: then the viewport is made as tall as the page for the shot
        (so the page lays itself out and draws its maps at that size, as a long screen would), and restored."""
        if not full_page:
            data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        else:
            metrics = self.send("Page.getLayoutMetrics")
            viewport = metrics.get("cssLayoutViewport") or metrics["layoutViewport"]
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            width, height = viewport["clientWidth"], viewport["clientHeight"]
            self.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": int(size["height"]),
                                                             "deviceScaleFactor": 1, "mobile": self.mobile})
            self.settle()
            data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
            self.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height,
                                                             "deviceScaleFactor": 1, "mobile": self.mobile})
            self.settle(0.2)
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    @property
    def console(self):
        """Console messages: (level, text) from console.* calls and the browser's log (failed loads, CSP, ...)."""
        out = []
        for e in self.browser.events(self.session):
            if e["method"] == "Runtime.consoleAPICalled":
                p = e["params"]
                out.append((p["type"], " ".join(str(a.get("value", a.get("description", ""))) for a in p["args"])))
            elif e["method"] == "Log.entryAdded":
                entry = e["params"]["entry"]
                out.append((entry["level"], entry.get("text", "") + " " + entry.get("url", "")))
        return out

    @property
    def exceptions(self):
        return [e["params"]["exceptionDetails"] for e in self.browser.events(self.session)
                if e["method"] == "Runtime.exceptionThrown"]

    @property
    def requests(self):
        return [e["params"]["request"]["url"] for e in self.browser.events(self.session)
                if e["method"] == "Network.requestWillBeSent"]
