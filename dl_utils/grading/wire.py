"""Plain data across the jail's wall: the judge and its worker talk only in this.

A message is a JSON document followed by raw array buffers; nothing in it is
code (no pickle), and decoding builds only plain values:

    None, bool, int, float, str, bytes, list, tuple, dict, set, frozenset,
    numpy arrays and scalars of numeric, boolean or fixed-width string dtype,
    Opaque(type name) for anything else (a student's object that has no
    plain form), and FunctionRef(id) for a function of the other side (the
    worker calls back the judge to run it).

A frame on a pipe is: 4 bytes (big-endian) holding the length of the JSON
header, the header ``{"msg": ..., "buffers": [n0, n1, ...]}``, then the
buffers. Decoding refuses what does not fit these rules (``WireError``), and
caps sizes, depth and item counts, so a hostile peer can send nothing but
plain data of bounded size.

This module is imported by the worker inside the jail, where the kit's
package is not available: it depends on nothing but numpy and the standard
library.
"""

import json
import math
import os
import select
import time

import numpy as np

# Bound now: in the worker, the student's code runs in the same process and may
# replace json.dumps or os.write later; that must not garble the worker's messages.
_dumps, _loads, _write, _read, _poll = json.dumps, json.loads, os.write, os.read, select.poll
_monotonic, _frombuffer, _ascontiguousarray = time.monotonic, np.frombuffer, np.ascontiguousarray

MAX_FRAME = 128 * 1024 * 1024  # bytes of one message, buffers included
MAX_HEADER = 64 * 1024 * 1024
MAX_DEPTH = 64
MAX_ITEMS = 2_000_000
DTYPE_KINDS = "biufcSU"


class WireError(Exception):
    """A message that breaks the rules (too big, malformed, or holding code)."""


class Opaque:
    """A value that could not cross as plain data: only its type name did."""

    def __init__(self, type_name):
        self.type_name = str(type_name)[:200]

    def __repr__(self):
        return f"<{self.type_name} object>"


class FunctionRef:
    """A function of the other side, called through the channel by its id."""

    def __init__(self, ref_id):
        self.id = ref_id


# --- values --------------------------------------------------------------------------


class Encoder:
    """Turns a value into JSON-able form, collecting array buffers.

    functions: a callable that gets a Python function and returns its id, or
        None to send functions as Opaque.
    """

    def __init__(self, functions=None):
        self.buffers = []
        self.functions = functions
        self.items = 0

    def encode(self, value, depth=0):
        self.items += 1
        if self.items > MAX_ITEMS:
            raise WireError(f"a value of more than {MAX_ITEMS} items")
        if depth > MAX_DEPTH:
            return {"opaque": "value nested too deeply"}
        kind = type(value)
        if value is None or kind is bool or kind is str:
            return value
        if kind is int:
            return {"int": str(value)} if abs(value) > 2**53 else value
        if kind is float:
            return value if math.isfinite(value) else {"float": repr(value)}
        if kind is bytes:
            self.buffers.append(value)
            return {"bytes": len(self.buffers) - 1}
        if isinstance(value, np.ndarray):
            return self._array(value, "array")
        if isinstance(value, np.generic):
            return self._array(np.asarray(value), "scalar")
        if isinstance(value, dict):
            pairs = list(value.items())
            return {
                "dict": [[self.encode(k, depth + 1), self.encode(v, depth + 1)] for k, v in pairs]
            }
        for base, name in (
            (list, "list"),
            (tuple, "tuple"),
            (frozenset, "frozenset"),
            (set, "set"),
        ):
            if isinstance(value, base):
                items = [self.encode(v, depth + 1) for v in list(value)]
                return items if name == "list" else {name: items}
        for base in (int, float, str, bytes):  # a subclass crosses as its plain value
            if isinstance(value, base):
                return self.encode(base(value), depth)
        if callable(value) and self.functions is not None:
            return {"function": self.functions(value)}
        return {"opaque": type(value).__name__}

    def _array(self, value, tag):
        array = np.asarray(value)
        if array.dtype.kind not in DTYPE_KINDS or array.dtype.fields is not None:
            return {"opaque": f"numpy array of dtype {array.dtype}"}
        data = _ascontiguousarray(array).tobytes()
        self.buffers.append(data)
        return {tag: len(self.buffers) - 1, "dtype": array.dtype.str, "shape": list(array.shape)}


class Decoder:
    """Builds plain values from a message's JSON form and its buffers."""

    def __init__(self, buffers):
        self.buffers = buffers
        self.items = 0

    def decode(self, data, depth=0):
        self.items += 1
        if depth > MAX_DEPTH + 2 or self.items > MAX_ITEMS:
            raise WireError("a value nested too deeply or with too many items")
        if data is None or type(data) in (bool, str, int, float):
            return data
        if type(data) is list:
            return [self.decode(v, depth + 1) for v in data]
        if type(data) is not dict or len(data) not in (1, 3):
            raise WireError(f"not a plain value: {str(data)[:80]}")
        tag = next(iter(data))
        body = data[tag]
        if tag in ("array", "scalar"):
            array = self._array(data)
            return array[()] if tag == "scalar" else array
        if len(data) != 1:
            raise WireError(f"not a plain value: {str(data)[:80]}")
        if tag == "int" and type(body) is str:
            return int(body)
        if tag == "float" and body in ("nan", "inf", "-inf"):
            return float(body)
        if tag == "bytes":
            return self._buffer(body)
        if tag in ("tuple", "set", "frozenset") and type(body) is list:
            items = [self.decode(v, depth + 1) for v in body]
            make = {"tuple": tuple, "set": set, "frozenset": frozenset}[tag]
            try:
                return make(items)
            except TypeError:
                raise WireError(f"a {tag} of unhashable items") from None
        if tag == "dict" and type(body) is list:
            result = {}
            for pair in body:
                if type(pair) is not list or len(pair) != 2:
                    raise WireError("a dict entry that is not a pair")
                key = self.decode(pair[0], depth + 1)
                try:
                    result[key] = self.decode(pair[1], depth + 1)
                except TypeError:
                    raise WireError("a dict key that is not hashable") from None
            return result
        if tag == "opaque":
            return Opaque(body)
        if tag == "function" and type(body) in (int, str):
            return FunctionRef(body)
        raise WireError(f"not a plain value: {str(data)[:80]}")

    def _buffer(self, index):
        if type(index) is not int or not 0 <= index < len(self.buffers):
            raise WireError("a reference to a buffer that does not exist")
        return self.buffers[index]

    def _array(self, data):
        try:
            dtype = np.dtype(str(data["dtype"]))
            shape = tuple(int(n) for n in data["shape"])
        except (KeyError, TypeError, ValueError):
            raise WireError("an array without a valid dtype and shape") from None
        if dtype.kind not in DTYPE_KINDS or dtype.fields is not None or dtype.hasobject:
            raise WireError(f"an array of dtype {dtype}, which is not plain data")
        if len(shape) > 32 or any(n < 0 for n in shape):
            raise WireError("an array of impossible shape")
        buffer = self._buffer(data.get("array", data.get("scalar")))
        if math.prod(shape) * dtype.itemsize != len(buffer):
            raise WireError("an array whose data does not match its shape")
        return _frombuffer(buffer, dtype=dtype).reshape(shape).copy()


# --- frames on pipes -------------------------------------------------------------------


class Channel:
    """Messages over a pair of pipes: ``send(msg)`` and ``receive(deadline)``.

    msg is a dict whose values are plain JSON, except under the keys in
    ``VALUE_KEYS`` (arguments and results), which are encoded as values.
    """

    VALUE_KEYS = ("value", "args", "kwargs", "args_after", "kwargs_after")

    def __init__(self, read_fd, write_fd, functions=None, max_frame=MAX_FRAME):
        self.read_fd, self.write_fd = read_fd, write_fd
        self.functions = functions
        self.max_frame = max_frame
        self._pending = b""

    def send(self, msg, deadline=None):
        encoder = Encoder(self.functions)
        body = {k: (encoder.encode(v) if k in self.VALUE_KEYS else v) for k, v in msg.items()}
        header = _dumps(
            {"msg": body, "buffers": [len(b) for b in encoder.buffers]}, allow_nan=False
        ).encode()
        size = len(header) + sum(len(b) for b in encoder.buffers)
        if size > self.max_frame:
            mb = 1024 * 1024
            raise WireError(
                f"a message of {size // mb} MB, more than the {self.max_frame // mb} MB allowed"
            )
        self._write(len(header).to_bytes(4, "big") + header, deadline)
        for buffer in encoder.buffers:
            self._write(buffer, deadline)

    def receive(self, deadline=None):
        """The next message, decoded; raises WireError, EOFError or TimeoutError."""
        size = int.from_bytes(self._read(4, deadline), "big")
        if size > min(MAX_HEADER, self.max_frame):
            raise WireError(f"a message header of {size} bytes")
        try:
            header = _loads(self._read(size, deadline))
        except (ValueError, RecursionError):
            raise WireError("a message header that is not valid JSON") from None
        if type(header) is not dict or type(header.get("msg")) is not dict:
            raise WireError("a message without a body")
        lengths = header.get("buffers", [])
        if type(lengths) is not list or not all(type(n) is int and n >= 0 for n in lengths):
            raise WireError("a message with invalid buffer sizes")
        if size + sum(lengths) > self.max_frame:
            raise WireError(f"a message of {size + sum(lengths)} bytes, more than allowed")
        buffers = [self._read(n, deadline) for n in lengths]
        decoder = Decoder(buffers)
        msg = {}
        try:
            for key, value in header["msg"].items():
                msg[key] = decoder.decode(value) if key in self.VALUE_KEYS else value
        except (ValueError, TypeError, OverflowError, RecursionError, MemoryError) as error:
            raise WireError(f"a value that could not be read ({type(error).__name__})") from None
        return msg

    def _write(self, data, deadline):
        view = memoryview(data)
        while view:
            if deadline is not None:
                _wait(self.write_fd, select.POLLOUT, deadline)
            try:
                written = _write(self.write_fd, view[: 1 << 20])
            except BrokenPipeError:
                raise EOFError("the other side closed the channel") from None
            view = view[written:]

    def _read(self, n, deadline):
        chunks, have = [self._pending], len(self._pending)
        while have < n:
            if deadline is not None:
                _wait(self.read_fd, select.POLLIN, deadline)
            chunk = _read(self.read_fd, min(n - have, 1 << 20))
            if not chunk:
                raise EOFError("the other side closed the channel")
            chunks.append(chunk)
            have += len(chunk)
        data = b"".join(chunks)
        self._pending = data[n:]
        return data[:n]


def _wait(fd, event, deadline):
    poller = _poll()
    poller.register(fd, event | select.POLLHUP | select.POLLERR)
    while True:
        left = deadline - _monotonic()
        if left <= 0:
            raise TimeoutError("no answer in time")
        if poller.poll(min(left, 1.0) * 1000):
            return
