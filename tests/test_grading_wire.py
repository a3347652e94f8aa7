"""The plain-data messages between the judge and its worker: what crosses, what is refused."""

import json
import os
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dl_utils.grading.wire import Channel, FunctionRef, Opaque, WireError


@pytest.fixture
def pipe_pair():
    """(sender, receiver): two Channels over one pipe, each way."""
    a_r, b_w = os.pipe()
    b_r, a_w = os.pipe()
    yield Channel(a_r, a_w), Channel(b_r, b_w)
    for fd in (a_r, a_w, b_r, b_w):
        os.close(fd)


def deadline():
    return time.monotonic() + 10


def round_trip(pair, value):
    sender, receiver = pair
    sender.send({"op": "x", "value": value}, deadline())
    return receiver.receive(deadline())["value"]


plain_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | hnp.arrays(
        hnp.scalar_dtypes().filter(lambda d: d.kind in "biuf"), hnp.array_shapes(max_dims=3)
    ),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5) | st.integers(), inner, max_size=4)
    ),
    max_leaves=12,
)


def same(a, b):
    if isinstance(a, np.ndarray):
        return (
            isinstance(b, np.ndarray)
            and a.dtype == b.dtype
            and a.shape == b.shape
            and np.array_equal(a, b, equal_nan=True)
        )
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


@settings(max_examples=150, deadline=None)
@given(plain_values)
def test_plain_values_cross_unchanged(value):
    a_r, b_w = os.pipe()
    b_r, a_w = os.pipe()
    try:
        assert same(round_trip((Channel(a_r, a_w), Channel(b_r, b_w)), value), value)
    finally:
        for fd in (a_r, a_w, b_r, b_w):
            os.close(fd)


def test_special_values_keep_their_type(pipe_pair):
    value = {
        "nan": float("nan"),
        "big": 10**30,
        "set": {1, 2},
        "frozen": frozenset({"a"}),
        "bytes": b"\x00\x01",
        "scalar": np.float32(1.5),
        "bool": np.bool_(True),
        (1, 2): "tuple key",
    }
    back = round_trip(pipe_pair, value)
    assert np.isnan(back["nan"]) and back["big"] == 10**30
    assert back["set"] == {1, 2} and back["frozen"] == frozenset({"a"})
    assert back["bytes"] == b"\x00\x01" and back[(1, 2)] == "tuple key"
    assert type(back["scalar"]) is np.float32 and back["scalar"] == 1.5
    assert type(back["bool"]) is np.bool_


def test_what_has_no_plain_form_crosses_as_its_type_name(pipe_pair):
    class Sneaky:
        def __eq__(self, other):
            return True

    back = round_trip(pipe_pair, [Sneaky(), np.array([object()], dtype=object), len])
    assert [type(v) for v in back] == [Opaque, Opaque, Opaque]
    assert back[0].type_name == "Sneaky" and "object" in back[1].type_name


def test_subclasses_cross_as_their_plain_value(pipe_pair):
    class AlwaysEqual(float):
        def __eq__(self, other):
            return True

    class Liar(np.ndarray):
        pass

    back = round_trip(pipe_pair, [AlwaysEqual(2.0), np.zeros(3).view(Liar)])
    assert type(back[0]) is float and back[0] == 2.0 and not back[0] == 3.0
    assert type(back[1]) is np.ndarray


def test_functions_cross_as_references_only_when_asked(pipe_pair):
    sender, receiver = pipe_pair
    table = {}

    def register(function):
        table["f0"] = function
        return "f0"

    sender.functions = register
    sender.send({"op": "call", "args": [np.sum]}, deadline())
    (ref,) = receiver.receive(deadline())["args"]
    assert isinstance(ref, FunctionRef) and table[ref.id] is np.sum


def raw_frame(header, buffers=()):
    data = json.dumps(header).encode()
    return len(data).to_bytes(4, "big") + data + b"".join(buffers)


@pytest.mark.parametrize(
    "frame, words",
    [
        (b"\xff\xff\xff\xff", "header of"),
        (b"\x00\x00\x00\x05hello", "not valid JSON"),
        (raw_frame([1, 2]), "without a body"),
        (
            raw_frame(
                {"msg": {"value": {"array": 0, "dtype": "|O", "shape": [1]}}, "buffers": [8]},
                [b"\x00" * 8],
            ),
            "not plain data",
        ),
        (
            raw_frame(
                {"msg": {"value": {"array": 0, "dtype": "<f8", "shape": [4]}}, "buffers": [8]},
                [b"\x00" * 8],
            ),
            "does not match its shape",
        ),
        (raw_frame({"msg": {"value": {"pickle": "gASV"}}}), "not a plain value"),
        (
            raw_frame({"msg": {"value": {"array": 3, "dtype": "<f8", "shape": []}}}),
            "does not exist",
        ),
        (raw_frame({"msg": {"value": {"int": "9" * 5000}}}), "could not be read"),
        (raw_frame({"msg": {"value": {"set": [[1]]}}}), "unhashable"),
        (raw_frame({"msg": {"x": 1}, "buffers": [2**40]}), "more than allowed"),
    ],
    ids=[
        "huge header",
        "not json",
        "no body",
        "object array",
        "short array",
        "pickle",
        "no buffer",
        "huge int",
        "unhashable",
        "huge buffers",
    ],
)
def test_a_malformed_frame_is_refused(pipe_pair, frame, words):
    sender, receiver = pipe_pair
    os.write(sender.write_fd, frame)
    with pytest.raises(WireError, match=words):
        receiver.receive(deadline())


def test_deep_nesting_is_refused(pipe_pair):
    sender, receiver = pipe_pair
    nested = [[[]]]
    for _ in range(200):
        nested = [nested]
    os.write(sender.write_fd, raw_frame({"msg": {"value": nested}}))
    with pytest.raises(WireError, match="nested too deeply"):
        receiver.receive(deadline())


def test_a_silent_peer_times_out(pipe_pair):
    _, receiver = pipe_pair
    with pytest.raises(TimeoutError):
        receiver.receive(time.monotonic() + 0.2)


def test_a_message_too_large_is_not_sent(pipe_pair):
    sender, _ = pipe_pair
    sender.max_frame = 1000
    with pytest.raises(WireError, match="more than the"):
        sender.send({"op": "x", "value": np.zeros(1000)}, deadline())
