"""Loads ctrnn_v1.npz with numpy and saves it again as
ctrnn_numpy_resaved.npz, the way a user who edits weights in numpy might:
arrays in Fortran order and/or big-endian, deflated, config.json copied.

    /usr/bin/python3 resave_with_numpy.py
"""
import io
import zipfile

import numpy as np

src = np.load("ctrnn_v1.npz")
layout = {
    "w_ir": (">f4", "F"),
    "w_rr": ("<f4", "F"),
    "b_rr": (">f4", "C"),
    "w_ro": (">f4", "F"),
    "b_ro": ("<f4", "C"),
}
with zipfile.ZipFile("ctrnn_numpy_resaved.npz", "w", zipfile.ZIP_DEFLATED) as z:
    for name, (dtype, order) in layout.items():
        a = np.array(src[name], dtype=dtype, order=order)
        buf = io.BytesIO()
        np.lib.format.write_array(buf, a)
        z.writestr(name + ".npy", buf.getvalue())
    z.writestr("config.json", src["config.json"])
