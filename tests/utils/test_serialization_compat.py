"""Files written by earlier versions of ``mt.save`` still load.

``data/written_by_fb783ca.ckpt`` was written by the writer of commit fb783ca (before the reader
validated its input) from ``legacy_object()``, with:

    git archive fb783ca | tar -x -C /tmp/old && cp tests/utils/test_serialization_compat.py \\
        /tmp/old/tests/utils/ && cd /tmp/old && PYTHONPATH=. python -c "import minitorch as mt; \\
        from tests.utils.test_serialization_compat import legacy_object; \\
        mt.save(legacy_object(), '$OLDPWD/tests/utils/data/written_by_fb783ca.ckpt')"
"""

from collections import OrderedDict
from pathlib import Path

import numpy as np

import minitorch as mt
from minitorch import nn

FIXTURE = Path(__file__).parent / "data" / "written_by_fb783ca.ckpt"


def legacy_object():
    model = nn.Linear(3, 2)
    with mt.no_grad():
        model.weight.data = mt.tensor(np.arange(6, dtype=np.float32).reshape(2, 3) / 7)
        model.bias.data = mt.tensor(np.array([0.5, -0.25], dtype=np.float32))
    return {
        "model": model.state_dict(),
        "tensor": mt.tensor(np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)),
        "float64": mt.tensor(np.array([np.pi, -np.e]), dtype=mt.float64),
        "ints": mt.arange(5),
        "bools": mt.tensor([True, False]),
        "scalar_tensor": mt.tensor(2.5),
        "param": nn.Parameter(mt.ones(2)),
        "array": np.arange(6, dtype=np.int16).reshape(2, 3),
        "fortran": np.asfortranarray(np.arange(6.0).reshape(2, 3)),
        "empty": np.zeros((0, 3), dtype=np.float32),
        "uint8": np.array([0, 255], dtype=np.uint8),
        "uint64": np.array([2**64 - 1], dtype=np.uint64),
        "half": np.array([1.5, -0.0], dtype=np.float16),
        "complex": np.array([1 + 2j, -3j], dtype=np.complex64),
        "np_scalar": np.float32(0.25),
        "np_int": np.int64(-3),
        "int": 7,
        "big_int": 2**70,
        "float": 0.1,
        "inf": float("inf"),
        "bool": True,
        "none": None,
        "str": "héllo",
        "list": [1, [2, (3, "x")]],
        "tuple": (1.5, None),
        "ordered": OrderedDict([("b", 1), ("a", 2)]),
        3: "int key",
        (1, "k"): "tuple key",
        "step": 42,
    }


def test_loads_a_file_written_by_the_first_writer():
    from tests.utils.test_serialization import _same

    loaded = mt.load(FIXTURE)
    _same(legacy_object(), loaded)
    assert loaded["fortran"].flags.f_contiguous
    fresh = nn.Linear(3, 2)
    fresh.load_state_dict(loaded["model"])
    assert np.allclose(fresh.weight.detach().numpy(), np.arange(6).reshape(2, 3) / 7)
