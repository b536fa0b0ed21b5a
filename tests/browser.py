"""Headless Chromium driven over the DevTools protocol (websockets, already locked): open a local page with the
network off, and report what it loaded, what it logged, a screenshot and a PDF print. For tests and docs."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
# No request can leave the machine: every host name resolves to nothing and every proxy goes nowhere.
OFFLINE_FLAGS = (
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
)


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        if path := shutil.which(name):
            return path
    return None


@dataclass
class PageVisit:
    requests: list[str] = field(default_factory=list)  # every URL the page asked for
    console_errors: list[str] = field(default_factory=list)  # console.error, uncaught exceptions, error log entries
    images: list[dict] = field(default_factory=list)  # per <img>: complete, naturalWidth, naturalHeight
    print_styles: dict = field(default_factory=dict)  # computed styles under print media
    screenshot: bytes = b""
    pdf: bytes = b""


class _Cdp:
    def __init__(self, url: str):
        from websockets.sync.client import connect

        # websockets 17 wants its connection used as a context manager; the stack closes it in close()
        self._stack = contextlib.ExitStack()
        self.ws = self._stack.enter_context(connect(url, max_size=None, open_timeout=30))
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 60) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        deadline = time.monotonic() + timeout
        while True:
            reply = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        for event in self.events:
            if event.get("method") == method:
                return event
        while time.monotonic() < deadline:
            event = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            self.events.append(event)
            if event.get("method") == method:
                return event
        raise TimeoutError(method)

    def close(self) -> None:
        self._stack.close()


def _start(chromium: str, profile: Path) -> tuple[subprocess.Popen, str]:
    cmd = [
        chromium,
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",
        f"--user-data-dir={profile}",
        *OFFLINE_FLAGS,
        "about:blank",
    ]
    if os.geteuid() == 0:
        cmd.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    seen = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line and proc.poll() is not None:
            break
        seen.append(line)
        if match := re.search(r"DevTools listening on (ws://\S+)", line):
            return proc, match.group(1)
    proc.kill()
    raise RuntimeError("Chromium did not start: " + "".join(seen[-10:]))


PRINT_PROBE = """(() => {
  const s = document.querySelector('section'), b = document.body, c = document.querySelector('.card');
  const cs = (e) => e ? getComputedStyle(e) : {};
  return {sectionShadow: cs(s).boxShadow, sectionBreakInside: cs(s).breakInside, bodyBackground: cs(b).backgroundColor,
          cardShadow: cs(c).boxShadow};
})()"""


def visit(path: Path, width: int = 1100, height: int = 1400) -> PageVisit:
    """Open `path` in headless Chromium with the network off; collect requests, errors, images, a screenshot
    and a PDF print (print media). Chromium is stopped before this returns."""
    chromium = find_chromium()
    if chromium is None:
        raise FileNotFoundError("chromium")
    result = PageVisit()
    with tempfile.TemporaryDirectory(prefix="cartera-chromium-") as profile:
        proc, ws_url = _start(chromium, Path(profile))
        cdp = None
        try:
            cdp = _Cdp(ws_url)
            target = cdp.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = cdp.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                cdp.call(f"{domain}.enable", session=session)
            cdp.call(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
                session=session,
            )
            cdp.events.clear()
            cdp.call("Page.navigate", {"url": Path(path).resolve().as_uri()}, session=session)
            cdp.wait_for("Page.loadEventFired")
            images = cdp.call(
                "Runtime.evaluate",
                {
                    "expression": "Array.from(document.images).map(i => ({complete: i.complete, "
                    "naturalWidth: i.naturalWidth, naturalHeight: i.naturalHeight, alt: i.alt}))",
                    "returnByValue": True,
                },
                session=session,
            )
            result.images = images["result"]["value"]
            shot = cdp.call(
                "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False}, session=session
            )
            result.screenshot = base64.b64decode(shot["data"])
            cdp.call("Emulation.setEmulatedMedia", {"media": "print"}, session=session)
            probe = cdp.call("Runtime.evaluate", {"expression": PRINT_PROBE, "returnByValue": True}, session=session)
            result.print_styles = probe["result"]["value"]
            cdp.call("Emulation.setEmulatedMedia", {"media": ""}, session=session)
            pdf = cdp.call("Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True}, session=session)
            result.pdf = base64.b64decode(pdf["data"])
            for event in cdp.events:
                method, params = event.get("method"), event.get("params", {})
                if method == "Network.requestWillBeSent":
                    result.requests.append(params["request"]["url"])
                elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                    result.console_errors.append(
                        " ".join(str(a.get("value", a.get("description"))) for a in params["args"])
                    )
                elif method == "Runtime.exceptionThrown":
                    result.console_errors.append(params["exceptionDetails"].get("text", "exception"))
                elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                    result.console_errors.append(params["entry"].get("text", ""))
        finally:
            if cdp is not None:
                try:
                    cdp.call("Browser.close", timeout=10)
                except Exception:  # noqa: BLE001 - it may already be gone; it is killed below anyway
                    pass
                cdp.close()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
    return result
