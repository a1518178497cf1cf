"""Writes the numpy-made .npz files that reader_numpy_test.go loads.

Run with Debian's numpy (apt-get install python3-numpy):

    /usr/bin/python3 make_numpy_files.py

Each array holds arange(n) * 1.5 - 2 (or arange(n) for integers, arange(n) % 3 == 1
for bools, arange(n) * (1 - 2j) for complex) in C order, reshaped and then
stored in the order and byte order its name gives, so a reader that gets the
layout wrong reads the values out of order.
"""
import io
import zipfile

import numpy as np


def values(shape, dtype):
    n = int(np.prod(shape))
    i = np.arange(n)
    kind = np.dtype(dtype).kind
    if kind == "f":
        v = i * 1.5 - 2
    elif kind == "c":
        v = i * (1 - 2j)
    elif kind == "b":
        v = i % 3 == 1
    else:
        v = i
    return v.astype(dtype).reshape(shape)


ARRAYS = {
    "c_f4": ((2, 3), "<f4", "C"),
    "f_f8": ((2, 3, 4), "<f8", "F"),
    "f_be_f4": ((3, 4), ">f4", "F"),
    "c_be_i4": ((3, 2), ">i4", "C"),
    "c_be_i8": ((5,), ">i8", "C"),
    "f_i8": ((4, 3), "<i8", "F"),
    "c_be_c16": ((2,), ">c16", "C"),
    "f_c8": ((2, 2), "<c8", "F"),
    "f_be_c8": ((3, 2), ">c8", "F"),
    "c_u1": ((2, 2), "|u1", "C"),
    "f_u1": ((2, 3), "|u1", "F"),
    "f_b1": ((3, 3), "|b1", "F"),
    "scalar_f8": ((), "<f8", "C"),
    "empty_f4": ((0, 3), "<f4", "C"),
    "f_be_f8_4d": ((2, 1, 3, 2), ">f8", "F"),
}


def arrays():
    out = {}
    for name, (shape, dtype, order) in ARRAYS.items():
        a = values(shape, dtype)
        out[name] = np.array(a, order=order)  # ascontiguousarray would make a scalar 1-D
    return out


np.savez("numpy_savez.npz", **arrays())
np.savez_compressed("numpy_savez_compressed.npz", **arrays())

# Format versions 2.0 and 3.0 (numpy picks them for huge or non-latin1
# headers; forced here), in a deflated archive.
with zipfile.ZipFile("numpy_versions.npz", "w", zipfile.ZIP_DEFLATED) as z:
    for version in [(1, 0), (2, 0), (3, 0)]:
        buf = io.BytesIO()
        np.lib.format.write_array(buf, np.asfortranarray(values((2, 3), ">f4")), version=version)
        z.writestr("v%d.npy" % version[0], buf.getvalue())

# Unsupported files: numpy writes them, rnnlab must refuse them clearly.
np.savez("numpy_float16.npz", x=values((2,), "<f2"))
np.savez("numpy_structured.npz", x=np.zeros(2, dtype=[("a", "<f4"), ("b", "<i4")]))
np.savez("numpy_object.npz", x=np.array([{"a": 1}, None], dtype=object))
