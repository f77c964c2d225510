#!/usr/bin/env python3
"""test-member-page.py: the member web page in a real headless Chromium.

Starts the real joren-server (path in $JOREN_SERVER) on a free loopback
port, gives two members a password (one through the admin command reading
stdin, one through the register's POST /v1/members/{card}/password), and
drives Debian's chromium through chromedriver's W3C WebDriver protocol
(plain JSON over HTTP, so the standard library is enough): sign in, read
the points balance, a voucher's balance and a count card's visits left
(pushed as real "value" and "punch" ops, twice) off the page, sign out, a wrong password and an unknown
card get the same generic message, and five failures lock the card even
for the right password. TAP output; skipped only when chromium or
chromedriver is not installed (scripts/setup.sh installs both)."""

import hashlib
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

GENERIC = "The card number or the password is not right."
LOCKED = "Too many wrong passwords for this card."
CARD_A, PASSWORD_A = "2000000000017", "correct horse 1"
CARD_B, PASSWORD_B = "2000000000024", "battery staple 2"

tests_run = 0


def ok(condition, name, detail=""):
    global tests_run
    tests_run += 1
    print(("ok" if condition else "not ok") + " %d - %s" % (tests_run, name))
    if not condition:
        print("# " + detail.replace("\n", "\n# "))
        raise SystemExit(1)


def http(method, url, body=None, headers=None):
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- the server ----

def start_server(db, env):
    process = subprocess.Popen([os.environ["JOREN_SERVER"], "--db", db, "--port", "0", "--demo"],
                               stdout=subprocess.PIPE, text=True, env=env)
    for line in process.stdout:
        if line.startswith("listening on "):
            return process, "http://" + line.split()[-1]
    raise SystemExit("joren-server exited before listening")


def admin(db, env, *args, stdin=None):
    return subprocess.run([os.environ["JOREN_SERVER"], "--db", db, *args], input=stdin,
                          capture_output=True, text=True, env=env, check=True).stdout.strip()


def pair(base, db, env):
    code = admin(db, env, "--new-pairing-code", "1")
    status, body = http("POST", base + "/v1/pair",
                        json.dumps({"code": code, "name": "Member test"}).encode(),
                        {"Content-Type": "application/json"})
    assert status == 201, body
    answer = json.loads(body)
    return answer["register_id"], answer["token"]


def seed_members(db, register_id):
    """The rows the registers' customer and points ops leave on the server
    (written directly: this test is about the page, test-sync-server about
    the ops). Member A: 1,234 points and two visits; member B: none."""
    now = int(time.time() * 1e6)
    with sqlite3.connect(db) as conn:
        for cid, card, name in ((1, CARD_A, "Aiko <b>Tanaka</b>"), (2, CARD_B, "Ben")):
            conn.execute("INSERT INTO customers (id, uuid, member_no, name, register_id, created_at,"
                         " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (cid, "uuid-%d" % cid, "M%05d" % cid, name, register_id, now, now))
            conn.execute("INSERT INTO customer_cards (code, customer_id, kind, register_id, added_at)"
                         " VALUES (?, ?, 'barcode', ?, ?)", (card, cid, register_id, now))
        for n, (points, total) in enumerate(((1000, 5500), (234, 1200))):
            uuid = "sale-%d" % n
            conn.execute("INSERT INTO sales (uuid, op_id, register_id, receipt_no, created_at, staff_id,"
                         " total, tax_total, customer_id) VALUES (?, ?, ?, ?, ?, 3, ?, 0, 1)",
                         (uuid, "op-s%d" % n, register_id, "R1-%06d" % n, now - n, total))
            conn.execute("INSERT INTO points_ledger (op_id, customer_id, register_id, kind, points,"
                         " sale_uuid, created_at) VALUES (?, 1, ?, 'earn', ?, ?, ?)",
                         ("op-p%d" % n, register_id, points, uuid, now - n))


def canonical(value):
    """The protocol's canonical JSON (docs/API.md) for ASCII payloads."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def push_value_and_cards(base, token):
    """Member A's gift voucher (3,000 issued, 500 spent) and count card
    (11 visits, one used), as registers push them. The same batch is sent
    twice: the second answer is all duplicates and changes nothing."""
    now = int(time.time() * 1e6)
    year = 365 * 24 * 3600 * 10**6
    voucher = {"number": "GIFT-00005678", "account_kind": "gift", "store": "Tokyo",
               "credit_limit": 0, "customer_uuid": "uuid-1", "expires_at": now + year,
               "created_at": now}
    card = {"sale_uuid": "sale-card", "line_position": 0, "seq": 0, "name": "Coffee x11",
            "visits": 11, "issued_at": now, "expires_at": now + year}
    payloads = [("value", dict(voucher, kind="issue", amount=3000, sale_uuid="sale-card")),
                ("value", dict(voucher, kind="redeem", amount=-500, sale_uuid="sale-visit")),
                ("punch", {"customer_uuid": "uuid-1", "kind": "issue", "units": 11,
                           "sale_uuid": "sale-card", "created_at": now, "card": card}),
                ("punch", {"customer_uuid": "uuid-1", "kind": "use", "units": -1,
                           "sale_uuid": "sale-visit", "created_at": now, "card": card})]
    ops = [{"op_id": "00000000-0000-4000-8000-%012d" % seq, "seq": seq, "kind": kind, "payload": payload,
            "payload_hash": hashlib.sha256(canonical(payload).encode()).hexdigest()}
           for seq, (kind, payload) in enumerate(payloads, start=1)]
    auth = {"Content-Type": "application/json", "Authorization": "Bearer " + token}
    for expected in ("applied", "duplicate"):
        status, reply = http("POST", base + "/v1/ops", json.dumps({"ops": ops}).encode(), auth)
        statuses = [r["status"] for r in json.loads(reply)["results"]] if status == 200 else reply
        ok(statuses == [expected] * len(ops), "voucher and card ops are %s" % expected,
           "%d %r" % (status, statuses))


# ---- the browser ----

class Browser:
    """A chromedriver session: W3C WebDriver commands as JSON over HTTP."""

    def __init__(self, chromium, chromedriver, profile):
        self.port = free_port()
        self.driver = subprocess.Popen([chromedriver, "--port=%d" % self.port],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = "http://127.0.0.1:%d" % self.port
        self._wait_ready()
        options = {"binary": chromium,
                   "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--user-data-dir=" + profile, "--lang=en-US", "--no-first-run"]}
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome",
                                                 "goog:chromeOptions": options}}}
        self.session = self._call("POST", "/session", caps)["sessionId"]

    def _wait_ready(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if self._call("GET", "/status")["ready"]:
                    return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.1)
        raise SystemExit("chromedriver did not start")

    def _call(self, method, path, payload=None):
        body = json.dumps(payload).encode() if payload is not None else None
        status, reply = http(method, self.base + path, body, {"Content-Type": "application/json"})
        value = json.loads(reply)["value"]
        if status != 200:
            raise RuntimeError("%s %s: %s" % (method, path, value))
        return value

    def cmd(self, method, path, payload=None):
        return self._call(method, "/session/%s%s" % (self.session, path), payload)

    def go(self, url):
        self.cmd("POST", "/url", {"url": url})

    def find(self, css):
        found = self.cmd("POST", "/elements", {"using": "css selector", "value": css})
        return next(iter(found[0].values())) if found else None

    def text(self, css):
        element = self.find(css)
        return self.cmd("GET", "/element/%s/text" % element) if element else None

    def type(self, css, text):
        element = self.find(css)
        self.cmd("POST", "/element/%s/clear" % element, {})
        self.cmd("POST", "/element/%s/value" % element, {"text": text})

    def click(self, css):
        """Clicks and waits until the old page is gone and the new one loaded
        (a form's POST, its 303 and the GET it leads to)."""
        old = self.find("html")
        self.cmd("POST", "/element/%s/click" % self.find(css), {})
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.find("html") != old and self.script("return document.readyState") == "complete":
                return
            time.sleep(0.05)
        raise RuntimeError("clicking %s loaded no new page" % css)

    def script(self, code):
        return self.cmd("POST", "/execute/sync", {"script": code, "args": []})

    def sign_in(self, base, card, password):
        self.go(base + "/member")
        self.type("#card", card)
        self.type("#password", password)
        self.click("#sign-in")

    def quit(self):
        try:
            self.cmd("DELETE", "")
        finally:
            self.driver.terminate()
            self.driver.wait(10)


def find_browser():
    chromium = next((p for p in ("/usr/lib/chromium/chromium", shutil.which("chromium") or "")
                     if p and os.access(p, os.X_OK)), None)
    return chromium, shutil.which("chromedriver")


# ---- the cases ----

def check_set_password(base, token):
    url = base + "/v1/members/%s/password" % CARD_B
    body = json.dumps({"password": PASSWORD_B}).encode()
    status, _ = http("POST", url, body, {"Content-Type": "application/json"})
    ok(status == 401, "password endpoint refuses a request without token", str(status))
    auth = {"Content-Type": "application/json", "Authorization": "Bearer " + token}
    status, reply = http("POST", url, json.dumps({"password": "short"}).encode(), auth)
    ok(status == 400 and b"invalid_request" in reply, "password endpoint refuses a short password",
       "%d %r" % (status, reply))
    status, reply = http("POST", base + "/v1/members/9999999999999/password", body, auth)
    ok(status == 400, "password endpoint refuses a card no member has", "%d %r" % (status, reply))
    status, reply = http("POST", url, body, auth)
    ok(status == 204, "register sets member B's password", "%d %r" % (status, reply))


def check_sign_in(browser, base):
    browser.sign_in(base, CARD_A, PASSWORD_A)
    points = browser.text("#points")
    ok(points == "1234", "member A sees 1234 points", repr(points))
    heading = browser.text("h1")
    ok(heading == "Hello, Aiko <b>Tanaka</b>", "the name is shown escaped", repr(heading))
    balances = browser.text("#balances")
    ok(balances is not None and "Gift voucher •••• 5678" in balances and "¥2,500" in balances
       and "GIFT-0000" not in balances, "the voucher's balance is shown, its number masked",
       repr(balances))
    cards = browser.text("#cards")
    ok(cards is not None and "Coffee x11" in cards and "10 / 11" in cards,
       "the count card shows its visits left", repr(cards))
    visits = browser.text("#visits")
    ok(visits is not None and "+1000" in visits and "+234" in visits, "recent visits are listed",
       repr(visits))
    cookie = browser.cmd("GET", "/cookie/joren_member")
    ok(cookie["httpOnly"] and cookie["sameSite"] == "Strict", "the session cookie is HttpOnly, SameSite=Strict",
       repr(cookie))
    ok(browser.script("return document.cookie.indexOf('joren_member') < 0"),
       "page script cannot read the session cookie")
    browser.click("#sign-out")
    ok(browser.find("#points") is None and browser.find("#sign-in") is not None,
       "signing out shows the sign-in form again")
    browser.go(base + "/member")
    ok(browser.find("#points") is None, "the old session is gone after sign-out")


def check_generic_errors(browser, base):
    browser.sign_in(base, CARD_B, "wrong password")
    wrong = browser.text("#error")
    browser.sign_in(base, "7777777777777", "wrong password")
    unknown = browser.text("#error")
    ok(wrong == GENERIC and unknown == GENERIC,
       "wrong password and unknown card get the same generic message", "%r / %r" % (wrong, unknown))
    browser.sign_in(base, CARD_B, PASSWORD_B)
    ok(browser.text("#points") == "0", "member B signs in with the password the register set")
    browser.click("#sign-out")


def check_lock(browser, base):
    for _ in range(4):
        browser.sign_in(base, CARD_A, "not the password")
    fifth = (browser.sign_in(base, CARD_A, "not the password"), browser.text("#error"))[1]
    ok(fifth is not None and fifth.startswith(LOCKED), "the fifth wrong password locks the card", repr(fifth))
    browser.sign_in(base, CARD_A, PASSWORD_A)
    error = browser.text("#error")
    ok(browser.find("#points") is None and error is not None and error.startswith(LOCKED),
       "a locked card refuses even the right password", repr(error))


def check_languages(browser, base):
    browser.go(base + "/member?lang=ja")
    ok(browser.script("return document.documentElement.lang") == "ja", "the switcher shows the page in ja")
    browser.go(base + "/member")
    ok(browser.script("return document.documentElement.lang") == "ja", "the language choice is remembered")
    current = browser.text("nav a[aria-current]")
    ok(current == "日本語", "the switcher marks the current language", repr(current))
    browser.go(base + "/member?lang=en")


def main():
    chromium, chromedriver = find_browser()
    if chromium is None or chromedriver is None:
        print("1..0 # SKIP chromium or chromedriver is not installed (scripts/setup.sh)")
        return 77
    env = dict(os.environ, JOREN_FAST_PWHASH="1")
    with tempfile.TemporaryDirectory(prefix="joren-member-") as tmp:
        db = os.path.join(tmp, "server.db")
        server, base = start_server(db, env)
        browser = None
        try:
            register_id, token = pair(base, db, env)
            seed_members(db, register_id)
            push_value_and_cards(base, token)
            admin(db, env, "--set-member-password", CARD_A, stdin=PASSWORD_A + "\n")
            check_set_password(base, token)
            browser = Browser(chromium, chromedriver, os.path.join(tmp, "profile"))
            check_sign_in(browser, base)
            check_generic_errors(browser, base)
            check_languages(browser, base)
            check_lock(browser, base)
        finally:
            if browser is not None:
                browser.quit()
            server.terminate()
            server.wait(10)
    print("1..%d" % tests_run)
    return 0


if __name__ == "__main__":
    sys.exit(main())
