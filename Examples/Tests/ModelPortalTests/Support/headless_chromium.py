"""Drives headless Chromium through a plan of steps for BrowserSignInTests (test-only code).

Reads a JSON plan on stdin:

    {"chromium": "/usr/bin/chromium", "step_timeout": 15, "total_timeout": 60,
     "steps": [{"op": "context"},
               {"op": "open", "url": "http://127.0.0.1:8080/"},
               {"op": "click", "selector": "a", "text": "Sign in"},
               {"op": "fill", "selector": "input[name=sub]", "value": "vera"},
               {"op": "snapshot", "name": "vera", "screenshot": "/tmp/x/vera.png"}]}

and prints one JSON object on stdout: {"browser": "Chrome/…", "snapshots": [...]} and, when a
step failed, "error", "step" (its index; absent when Chromium did not start) and the end of
Chromium's log; the exit status is then 1.

- "context": a new browser context (its own cookies and storage, like a fresh profile) with one
  page; the previous context is closed.
- "open": navigates to "url" and waits for the load event.
- "click": clicks the first element matching "selector" (whose trimmed text is "text", when
  given) and waits for the load event of the page it leads to; if the browser refuses the
  navigation for security (a Content Security Policy violation), the step fails at once with the
  browser's message.
- "fill": sets the value of the first element matching "selector".
- "snapshot": records what the page shows (URL, headings, text, forms with their actions,
  buttons and visible inputs, table rows, `.denied` notes, links), and writes a PNG screenshot
  to "screenshot" when given.

The browser is spoken to through the Chrome DevTools Protocol over a pipe
(`--remote-debugging-pipe`: NUL-terminated JSON messages on file descriptors 3 and 4), so no
port is opened and no Python package is needed. It runs headless with a fresh profile in a
temporary directory, `--no-sandbox` only when running as root, and every host name except
127.0.0.1 is unresolvable (`--host-resolver-rules`), so the test never reaches the network (the
provider's pages link a stylesheet on a CDN). Every wait is bounded by "step_timeout", the whole
run by SIGALRM.
"""

import base64
import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SNAPSHOT_SCRIPT = r"""(() => {
  const text = (e) => (e.innerText || e.textContent || '').trim();
  return {
    url: location.href,
    title: document.title,
    headings: [...document.querySelectorAll('h1, h2')].map(text),
    text: text(document.body),
    forms: [...document.forms].map((f) => ({
      action: f.getAttribute('action') || '',
      method: (f.getAttribute('method') || 'get').toLowerCase(),
      buttons: [...f.querySelectorAll('button')].map(text),
      inputs: [...f.querySelectorAll('input')].filter((i) => i.type !== 'hidden').map((i) => i.name),
    })),
    rows: [...document.querySelectorAll('tbody tr')].map((r) => [...r.cells].map(text)),
    denied: [...document.querySelectorAll('.denied')].map(text),
    links: [...document.links].map((a) => ({text: text(a), href: a.getAttribute('href') || ''})),
  };
})()"""

FIND_SCRIPT = r"""((selector, wanted) => {
  const text = (e) => (e.innerText || e.textContent || '').trim();
  return [...document.querySelectorAll(selector)].find((e) => wanted === null || text(e) === wanted) || null;
})"""


class StepError(Exception):
    pass


class Chromium:
    """One headless Chromium process and a CDP connection to it over a pipe."""

    def __init__(self, executable, timeout):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="portcullis-chromium-")
        to_browser_read, self.to_browser = os.pipe()
        self.from_browser, from_browser_write = os.pipe()
        # Above 4, so that the dup2 calls in the child cannot overwrite one another.
        child_read = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD_CLOEXEC, 10)
        child_write = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_browser_read)
        os.close(from_browser_write)

        def wire_pipes():
            os.dup2(child_read, 3)
            os.dup2(child_write, 4)

        arguments = [
            executable,
            "--headless=new",
            "--remote-debugging-pipe",
            f"--user-data-dir={self.profile}",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--window-size=1100,900",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-default-apps",
            "--disable-extensions",
            "--disable-sync",
            "--no-first-run",
            "--no-default-browser-check",
            "--password-store=basic",
            "--use-mock-keychain",
        ]
        if os.geteuid() == 0:
            arguments.append("--no-sandbox")  # Chromium refuses to start its sandbox as root
        arguments.append("about:blank")
        self.log = open(os.path.join(self.profile, "chromium.log"), "wb")
        self.process = subprocess.Popen(
            arguments, preexec_fn=wire_pipes, pass_fds=(3, 4), stdin=subprocess.DEVNULL,
            stdout=self.log, stderr=self.log)
        os.close(child_read)
        os.close(child_write)
        self.buffer = b""
        self.events = []
        self.next_id = 0
        self.session = None
        self.context = None

    def send(self, method, params=None, session=None):
        """Sends a command and returns its result; events that arrive meanwhile are queued."""
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self.receive(deadline, method)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise StepError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def receive(self, deadline, waiting_for):
        while b"\0" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.from_browser], [], [], remaining)[0]:
                raise StepError(f"timed out after {self.timeout} s waiting for {waiting_for}")
            chunk = os.read(self.from_browser, 1 << 16)
            if not chunk:
                raise StepError(f"Chromium closed the DevTools pipe (exit status {self.process.poll()})")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def wait_for_event(self, method):
        """Waits for `method` on the page; a navigation the browser refuses for security (a
        Content Security Policy violation, say) fails at once with the browser's own message."""
        deadline = time.monotonic() + self.timeout
        while True:
            for index, event in enumerate(self.events):
                if event.get("sessionId") != self.session:
                    continue
                if event["method"] == method:
                    del self.events[: index + 1]
                    return event
                entry = event["params"].get("entry", {}) if event["method"] == "Log.entryAdded" else {}
                if entry.get("source") == "security" and entry.get("level") == "error":
                    self.events.clear()
                    raise StepError(f"the browser refused: {entry.get('text', '').strip()}")
            self.events.append(self.receive(deadline, method))

    def new_context(self):
        if self.context:
            self.send("Target.disposeBrowserContext", {"browserContextId": self.context})
        self.context = self.send("Target.createBrowserContext")["browserContextId"]
        target = self.send("Target.createTarget", {"url": "about:blank", "browserContextId": self.context})
        self.session = self.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})["sessionId"]
        self.page("Page.enable")
        self.page("Log.enable")
        self.page("Emulation.setDeviceMetricsOverride", {"width": 1100, "height": 900, "deviceScaleFactor": 1, "mobile": False})
        self.events.clear()

    def page(self, method, params=None):
        if not self.session:
            raise StepError("no page: the plan must start with a \"context\" step")
        return self.send(method, params, self.session)

    def evaluate(self, expression):
        result = self.page("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise StepError(f"script failed: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def settle(self):
        """Waits for the load event of the navigation a step started, then drops older events."""
        self.wait_for_event("Page.loadEventFired")
        self.events.clear()

    def find(self, selector, text, then):
        call = f"(() => {{ const e = {FIND_SCRIPT}({json.dumps(selector)}, {json.dumps(text)}); if (!e) return false; {then}; return true; }})()"
        if not self.evaluate(call):
            described = selector if text is None else f"{selector} with the text {text!r}"
            raise StepError(f"no {described} on {self.evaluate('location.href')}")

    def log_tail(self):
        """The end of Chromium's own output (its profile, where the log is, goes at close),
        without the complaints about the missing D-Bus that a container always has."""
        self.log.flush()
        with open(self.log.name, "rb") as log:
            lines = log.read().decode("utf-8", "replace").splitlines()
        return "\n".join(line for line in lines if "dbus" not in line.lower())[-2000:]

    def close(self):
        try:
            os.write(self.to_browser, json.dumps({"id": 0, "method": "Browser.close"}).encode() + b"\0")
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)


def run(browser, step):
    op = step["op"]
    if op == "context":
        browser.new_context()
    elif op == "open":
        browser.page("Page.navigate", {"url": step["url"]})
        browser.settle()
    elif op == "click":
        browser.find(step["selector"], step.get("text"), "e.click()")
        browser.settle()
    elif op == "fill":
        browser.find(step["selector"], None, f"e.value = {json.dumps(step['value'])}")
    elif op == "snapshot":
        snapshot = browser.evaluate(SNAPSHOT_SCRIPT)
        snapshot["name"] = step["name"]
        if step.get("screenshot"):
            png = base64.b64decode(browser.page("Page.captureScreenshot", {"format": "png"})["data"])
            with open(step["screenshot"], "wb") as file:
                file.write(png)
        return snapshot
    else:
        raise StepError(f"unknown step {op!r}")
    return None


def on_alarm(signum, frame):
    raise StepError("the whole run took too long")


def main():
    plan = json.load(sys.stdin)
    # The test process may hand its children blocked signals: the alarm must get through.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGALRM, signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(int(plan.get("total_timeout", 60)))
    output = {"snapshots": []}
    status = 0
    browser = None
    index = -1
    try:
        browser = Chromium(plan.get("chromium", "chromium"), float(plan.get("step_timeout", 15)))
        output["browser"] = browser.send("Browser.getVersion")["product"]
        for index, step in enumerate(plan["steps"]):
            snapshot = run(browser, step)
            if snapshot is not None:
                output["snapshots"].append(snapshot)
    except (StepError, OSError, KeyError, ValueError) as error:
        output["error"] = f"{type(error).__name__}: {error}"
        if index >= 0:
            output["step"] = index
        if browser:
            output["chromium_log"] = browser.log_tail()
        status = 1
    finally:
        signal.alarm(0)
        if browser:
            browser.close()
    json.dump(output, sys.stdout)
    return status


if __name__ == "__main__":
    sys.exit(main())
