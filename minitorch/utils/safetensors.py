"""Safetensors files for minitorch Tensors, with the names and semantics of
``safetensors.torch``: ``save_file``/``load_file``, ``save``/``load`` (bytes) and
``save_model``/``load_model``.

A safetensors file is a JSON header (each name's dtype, shape and byte range) followed by the raw
bytes, so loading runs no code; PyTorch, JAX and Hugging Face read and write it. The
``safetensors`` package does the I/O and is imported on first use
(``pip install safetensors``, or ``pip install '.[safetensors]' in a clone of the repository``).

Weights move between PyTorch and minitorch by state dict::

    safetensors.torch.save_file(torch_model.state_dict(), "model.safetensors")
    model.load_state_dict(minitorch.utils.safetensors.load_file("model.safetensors"))
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np  # host buffers for the file's bytes (host I/O only)

from minitorch.autograd import Tensor
from minitorch.backend import as_device, backend_for, get_backend

__all__ = ["load", "load_file", "load_model", "save", "save_file", "save_model"]

# the format's dtype codes and the NumPy dtypes minitorch holds them in (BF16 and the FP8 kinds
# have no NumPy dtype, so minitorch cannot hold them)
_CODES = {
    "BOOL": "bool", "U8": "uint8", "I8": "int8", "I16": "int16", "U16": "uint16",
    "I32": "int32", "U32": "uint32", "I64": "int64", "U64": "uint64",
    "F16": "float16", "F32": "float32", "F64": "float64",
}  # fmt: skip
_NAMES = {name: code for code, name in _CODES.items()}


def _package() -> Any:
    try:
        import safetensors
    except ImportError as err:
        raise ImportError(
            "minitorch.utils.safetensors needs the safetensors package: pip install safetensors "
            "(or pip install '.[safetensors]' in a clone of the repository)"
        ) from err
    return safetensors


def _check_metadata(metadata: Any) -> None:
    if metadata is None:
        return
    if not isinstance(metadata, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()
    ):
        raise TypeError(
            f"safetensors: metadata must be a dict of str to str (or None), got {metadata!r}"
        )


def _span(array: Any) -> tuple[str, int, int]:
    """(device, start, end): the bytes an array's elements lie within."""
    iface = getattr(array, "__cuda_array_interface__", None) or array.__array_interface__
    start = iface["data"][0]
    low = sum((n - 1) * s for n, s in zip(array.shape, array.strides) if s < 0)
    high = sum((n - 1) * s for n, s in zip(array.shape, array.strides) if s > 0)
    return str(get_backend(array).device), start + low, start + high + array.itemsize


def _shared_groups(tensors: dict) -> list[set]:
    """Names whose arrays overlap in memory, one set per group (empty tensors share nothing)."""
    spans = sorted((*_span(t.array), name) for name, t in tensors.items() if t.array.size)
    groups: list[set] = []
    last = ("", -1)  # (device, end) of the group being grown
    for device, start, stop, name in spans:
        if device == last[0] and start < last[1]:
            groups[-1].add(name)
        else:
            groups.append({name})
        last = (device, max(stop, last[1]) if device == last[0] else stop)
    return [g for g in groups if len(g) > 1]


def _host_arrays(tensors: Any) -> dict:
    """``{name: contiguous host array}`` after the checks ``safetensors.torch`` makes: a dict of
    Tensors, no two sharing memory, each contiguous, each of a dtype the format has."""
    if not isinstance(tensors, dict):
        raise ValueError(
            f"safetensors: expected a dict of [str, Tensor] but received {type(tensors).__name__}"
        )
    for name, t in tensors.items():
        if not isinstance(t, Tensor):
            raise ValueError(
                f"safetensors: key `{name}` is invalid, expected minitorch.Tensor but received "
                f"{type(t).__name__}"
            )
    shared = _shared_groups(tensors)
    if shared:
        raise RuntimeError(
            f"safetensors: some tensors share memory, this will lead to duplicate memory on disk "
            f"and potential differences when loading them again: {shared}. A potential way to "
            "correctly save your model is to use `save_model`."
        )
    arrays = {}
    for name, t in tensors.items():
        x = t.array
        if not x.flags.c_contiguous:
            raise ValueError(
                f"safetensors: you are trying to save a non contiguous tensor: `{name}` which is "
                "not allowed. Save the full tensor and slice it at load time, or save a packed "
                "copy (`t.clone()`)"
            )
        code = _NAMES.get(x.dtype.name)
        if code is None:
            raise TypeError(f"safetensors: `{name}` has dtype {x.dtype}, which the format lacks")
        arrays[name] = get_backend(x).to_host(x)
    return arrays


def _dtype(name: str, code: str) -> np.dtype:
    """The NumPy dtype of the format's dtype ``code``, or an error naming the tensor."""
    dtype = _CODES.get(code)
    if dtype is None:
        raise TypeError(
            f"safetensors: tensor `{name}` has dtype {code}, which minitorch does not support "
            "(it has no NumPy dtype); convert it before saving, e.g. .to(torch.float32)"
        )
    return np.dtype(dtype)


def _place(host: np.ndarray, device: Any) -> Tensor:
    """A Tensor owning a writable copy of ``host`` on ``device``."""
    if isinstance(device, int):  # as safetensors.torch: an index means that GPU
        device = f"cuda:{device}"
    return Tensor(backend_for(as_device(device)).from_host(np.array(host)))


def save(tensors: dict[str, Tensor], metadata: dict[str, str] | None = None) -> bytes:
    """The safetensors encoding of ``tensors`` (a dict of name -> contiguous Tensor), as bytes."""
    _check_metadata(metadata)
    _package()
    from safetensors.numpy import save as save_arrays

    return save_arrays(_host_arrays(tensors), metadata=metadata)


def save_file(tensors: dict[str, Tensor], filename: str | os.PathLike,
              metadata: dict[str, str] | None = None) -> None:  # fmt: skip
    """Write ``tensors`` (name -> contiguous Tensor; none may share memory with another) to a
    safetensors file; ``metadata`` (str -> str) goes into its header."""
    _check_metadata(metadata)
    _package()
    from safetensors.numpy import save_file as save_arrays

    save_arrays(_host_arrays(tensors), os.fspath(filename), metadata=metadata)


def load(data: bytes) -> dict[str, Tensor]:
    """The tensors of a safetensors encoding (``save``'s bytes), on the CPU."""
    out = {}
    for name, info in _package().deserialize(data):
        dtype = _dtype(name, info["dtype"])
        host = np.frombuffer(bytes(info["data"]), dtype=dtype).reshape(info["shape"])
        out[name] = _place(host, "cpu")
    return out


def load_file(filename: str | os.PathLike, device: Any = "cpu") -> dict[str, Tensor]:
    """The tensors of a safetensors file, on ``device`` (``"cpu"``, ``"cuda:0"``, an index)."""
    safe_open = _package().safe_open
    out = {}
    with safe_open(os.fspath(filename), framework="numpy") as f:
        for name in f.keys():  # a safe_open handle is no dict: keys() is its API
            _dtype(name, f.get_slice(name).get_dtype())  # refuse BF16 before reading it
            out[name] = _place(f.get_tensor(name), device)
    return out


def _duplicates(state: dict, preferred: Any = ()) -> dict[str, list[str]]:
    """Kept name -> names to drop, for state-dict entries that are one tensor under several
    names (tied weights); a partial overlap cannot be deduplicated and is left to save_file."""
    by_span: dict = {}
    for name, t in state.items():
        if t.array.size:
            by_span.setdefault((_span(t.array), t.array.strides, t.dtype), []).append(name)
    out = {}
    for names in by_span.values():
        if len(names) > 1:
            keep = next((n for n in sorted(names) if n in preferred), sorted(names)[0])
            out[keep] = [n for n in sorted(names) if n != keep]
    return out


def save_model(model: Any, filename: str | os.PathLike, metadata: dict[str, str] | None = None,
               force_contiguous: bool = False) -> None:  # fmt: skip
    """Save ``model.state_dict()``, each tied tensor once (the dropped names go into the
    metadata, pointing at the kept one); ``force_contiguous`` copies non-contiguous ones."""
    _check_metadata(metadata)
    metadata = None if metadata is None else dict(metadata)  # the caller's dict stays as it was
    state = dict(model.state_dict())
    for keep, drops in _duplicates(state).items():
        for name in drops:
            metadata = {} if metadata is None else metadata
            metadata.setdefault(name, keep)
            del state[name]
    if force_contiguous:
        state = {k: v if v.array.flags.c_contiguous else v.clone() for k, v in state.items()}
    try:
        save_file(state, filename, metadata=metadata)
    except ValueError as err:
        raise ValueError(f"{err}; or use save_model(..., force_contiguous=True)") from err


def load_model(model: Any, filename: str | os.PathLike, strict: bool = True,
               device: Any = "cpu") -> tuple[list, list]:  # fmt: skip
    """Load a file written by ``save_model`` into ``model`` (tied tensors saved once fill all
    their names). Returns ``(missing, unexpected)``; with ``strict`` either raises."""
    state = load_file(filename, device=device)
    dropped = _duplicates(model.state_dict(), preferred=state.keys())
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = set(missing)
    for drops in dropped.values():
        for name in drops:
            if name in missing:
                missing.remove(name)
            else:
                unexpected.append(name)
    if strict and (missing or unexpected):
        error = f"Error(s) in loading state_dict for {type(model).__name__}:"
        if missing:
            error += "\n    Missing key(s) in state_dict: " + ", ".join(sorted(missing))
        if unexpected:
            error += "\n    Unexpected key(s) in state_dict: " + ", ".join(sorted(unexpected))
        raise RuntimeError(error)
    return sorted(missing), unexpected
