"""Stopping running WebAssembly within a tenth of a second, one store at a time.

wasmtime's epoch interruption is the only way to stop a tight `(loop br 0)`, but `Engine.increment_epoch`
reaches every store on the engine. So each store gets its own deadline callback (wasmtime's C API
`wasmtime_store_epoch_deadline_callback`, reached through wasmtime-py's ctypes bindings): on every tick the
store asks its own `Interrupter` whether to go on. Stopping one run therefore never stops another, and the
engine (with its compiled modules) stays shared.

A single ticker thread advances the epochs of engines that have live interrupters, every `TICK_S`.
"""

from __future__ import annotations

import ctypes
import threading
import time

import wasmtime
from wasmtime import _bindings as bindings

from wasi_playground.core.engine.messages import stop_message

TICK_S = 0.005

_CALLBACK_TYPE = bindings._wasmtime_store_epoch_deadline_callback.argtypes[1]
_FINALIZER_TYPE = bindings._wasmtime_store_epoch_deadline_callback.argtypes[3]
_UPDATE_CONTINUE = 0


def _no_finalizer(_data: int | None) -> None:
    return None


_FINALIZER = _FINALIZER_TYPE(_no_finalizer)


class Interrupter:
    """Decides, tick by tick, whether one store's code goes on: stop on request or once its deadline
    passes."""

    def __init__(self, timeout_s: float | None = None) -> None:
        self._stop_reason: str | None = None
        self._timeout_s = timeout_s
        self._deadline: float | None = None
        self._engine: wasmtime.Engine | None = None
        self._store: wasmtime.Store | None = None
        self._callback = _CALLBACK_TYPE(self._on_tick)

    @property
    def stop_reason(self) -> str | None:
        """ "cancelled", "timeout", or None while allowed to run."""
        return self._stop_reason

    def cancel(self) -> None:
        if self._stop_reason is None:
            self._stop_reason = "cancelled"

    def attach(self, engine: wasmtime.Engine, store: wasmtime.Store) -> None:
        """Install the deadline callback on `store` and start counting the timeout from now."""
        bindings.wasmtime_store_epoch_deadline_callback(store.ptr(), self._callback, None, _FINALIZER)
        store.set_epoch_deadline(1)
        if self._timeout_s is not None:
            self._deadline = time.monotonic() + self._timeout_s
        self._engine = engine
        self._store = store
        _ticker.add(engine)

    def detach(self) -> None:
        """Stop ticking for this store. Its deadline moves out of reach, so the store never calls this
        interrupter's callback again (it may outlive us, e.g. in a call session)."""
        if self._store is not None:
            try:
                self._store.set_epoch_deadline(1 << 62)
            except Exception:
                pass  # the store is already gone
            self._store = None
        if self._engine is not None:
            _ticker.remove(self._engine)
            self._engine = None

    def check_deadline(self) -> bool:
        """True when the run must stop (also checked by the runner between phases)."""
        if self._stop_reason is None and self._deadline is not None and time.monotonic() >= self._deadline:
            self._stop_reason = "timeout"
        return self._stop_reason is not None

    def _on_tick(self, _context, _data, delta_ptr, kind_ptr) -> int:
        if self.check_deadline():
            message = stop_message(self._stop_reason, self._timeout_s).encode()
            error = bindings.wasmtime_error_new(message)
            return ctypes.cast(error, ctypes.c_void_p).value or 0
        delta_ptr[0] = 1
        kind_ptr[0] = _UPDATE_CONTINUE
        return 0


class _EpochTicker:
    """One daemon thread that advances the epoch of every engine with running stores."""

    def __init__(self) -> None:
        self._users: dict[int, tuple[wasmtime.Engine, int]] = {}
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None

    def add(self, engine: wasmtime.Engine) -> None:
        with self._lock:
            _, count = self._users.get(id(engine), (engine, 0))
            self._users[id(engine)] = (engine, count + 1)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="epoch-ticker", daemon=True)
                self._thread.start()
            self._wake.notify()

    def remove(self, engine: wasmtime.Engine) -> None:
        with self._lock:
            entry = self._users.get(id(engine))
            if entry is None:
                return
            if entry[1] <= 1:
                del self._users[id(engine)]
            else:
                self._users[id(engine)] = (engine, entry[1] - 1)

    def _loop(self) -> None:
        while True:
            with self._lock:
                while not self._users:
                    self._wake.wait()
                engines = [engine for engine, _ in self._users.values()]
            for engine in engines:
                engine.increment_epoch()
            time.sleep(TICK_S)


_ticker = _EpochTicker()
