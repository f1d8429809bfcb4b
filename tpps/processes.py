"""Keep child processes running (`manage.py jalankan` for `make run`, `manage.py jalankan_pekerja`):
each starts in a session of its own, so Ctrl+C reaches only the supervisor, which then stops the
children in order; a child that exits is started again after a short back-off."""

import os
import signal
import subprocess
import sys
import threading
import time

# A child that ran this long before exiting was healthy: its next restart waits only a second again.
HEALTHY_SECONDS = 60


def stop_on_signals() -> threading.Event:
    """An event set by SIGINT (Ctrl+C) or SIGTERM, for the supervisor's loop to end on."""
    stopping = threading.Event()

    def handler(signum, frame):
        stopping.set()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
    return stopping


class Supervised:
    """One child process: `check()` in the supervisor's loop starts it and restarts it when it
    exited (back-off 1, 2, 4 … `max_backoff` seconds); `stop()` sends each of `stop_signals` in turn,
    waiting `grace` seconds after each, then kills its process group."""

    def __init__(self, name: str, argv: list[str], *, env: dict | None = None, max_backoff: float = 30.0,
                 stop_signals=(signal.SIGTERM,), grace: float = 10.0, out=None):
        self.name, self.argv, self.env = name, argv, env
        self.max_backoff, self.stop_signals, self.grace = max_backoff, stop_signals, grace
        self.out = out or (lambda text: print(text, file=sys.stderr, flush=True))
        self.process = None
        self.started = 0.0
        self.backoff = 1.0
        self.next_start = 0.0
        self.restarts = 0

    def check(self) -> None:
        if self.process is None:
            if time.monotonic() >= self.next_start:
                self.process = subprocess.Popen(self.argv, env=self.env, start_new_session=True)
                self.started = time.monotonic()
            return
        code = self.process.poll()
        if code is None:
            return
        if time.monotonic() - self.started >= HEALTHY_SECONDS:
            self.backoff = 1.0
        self.out(f"{self.name} berhenti (kode {code}); dimulai lagi dalam {self.backoff:g} detik.")
        self.process = None
        self.restarts += 1
        self.next_start = time.monotonic() + self.backoff
        self.backoff = min(self.backoff * 2, self.max_backoff)

    def begin_stop(self) -> None:
        """Send the first stop signal (children of one supervisor then stop side by side)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(self.stop_signals[0])

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        for signum in self.stop_signals:
            if process.poll() is None:
                process.send_signal(signum)
            try:
                process.wait(self.grace)
                return
            except subprocess.TimeoutExpired:
                continue
        self.out(f"{self.name} tidak berhenti; dimatikan paksa.")
        try:
            os.killpg(process.pid, signal.SIGKILL)  # its session: pid == process group id
        except ProcessLookupError:
            pass
        process.wait()
