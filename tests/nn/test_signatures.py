"""PyTorch's signatures: every public Module's constructor and every ``F.`` form accepts each
parameter PyTorch's does, under the same name, in the same position, with the same default.

A program written for PyTorch passes its arguments by PyTorch's names and positions, so this
is what "change only the imports" needs of a signature. Deliberate differences are listed in
``EXCEPTIONS`` with the reason.
"""

from __future__ import annotations

import ast
import inspect
import types
import typing
from typing import Any

import pytest

from minitorch import nn
from minitorch.nn import functional as F  # noqa: N812

# (public name, parameter) -> why minitorch's default or form differs on purpose
_RELU_DEFAULT = (
    "the default is the string 'relu' (which PyTorch also accepts) rather than the function "
    "torch.nn.functional.relu; a callable is accepted too"
)
EXCEPTIONS = {
    (name, "activation"): _RELU_DEFAULT
    for name in ("TransformerEncoderLayer", "TransformerDecoderLayer", "Transformer")
}


def _modules() -> list[str]:
    return sorted(
        name
        for name in nn.__all__
        if isinstance(getattr(nn, name), type)
        and issubclass(getattr(nn, name), nn.Module)
        and name != "Layer"
    )


def _functions() -> list[str]:
    return sorted(
        name
        for name in dir(F)
        if not name.startswith("_") and isinstance(getattr(F, name), types.FunctionType)
    )


def _from_doc(name: str, doc: str | None) -> inspect.Signature | None:
    """The signature a builtin's docstring opens with: ``pad(input, pad, ...) -> Tensor``."""
    if not doc or f"{name}(" not in doc:
        return None
    start = doc.index(f"{name}(") + len(name)
    depth, end = 0, start
    while end < len(doc):
        depth += {"(": 1, ")": -1}.get(doc[end], 0)
        if depth == 0:
            break
        end += 1
    try:
        tree = ast.parse(f"def f{doc[start : end + 1]}: pass")
    except SyntaxError:
        return None
    args = tree.body[0].args
    defaults = [None] * (len(args.args) - len(args.defaults)) + list(args.defaults)
    params = [
        inspect.Parameter(
            a.arg,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            default=inspect.Parameter.empty if d is None else ast.literal_eval(d),
        )
        for a, d in zip(args.args, defaults)
    ]
    return inspect.Signature(params)


def _only_varargs(sig: inspect.Signature) -> bool:
    kinds = {p.kind for p in sig.parameters.values()}
    return kinds <= {inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD}


def _torch_function_signature(fn: Any, name: str) -> inspect.Signature | None:
    """A functional form's signature; for builtins and ``(*args, **kwargs)`` dispatch
    wrappers (``max_pool2d``), the one their docstring opens with."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return _from_doc(name, fn.__doc__)
    return _from_doc(name, fn.__doc__) if _only_varargs(sig) else sig


def _differences(owner: str, ours: inspect.Signature, theirs: inspect.Signature) -> list[str]:
    mine = ours.parameters
    problems = []
    for pname, p in theirs.parameters.items():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or (owner, pname) in EXCEPTIONS:
            continue
        if pname not in mine:
            problems.append(f"no parameter {pname!r}")
            continue
        q = mine[pname]
        if q.default != p.default and not (q.default is p.default is inspect.Parameter.empty):
            problems.append(f"{pname} defaults to {q.default!r}, PyTorch's to {p.default!r}")
        if (q.kind == q.KEYWORD_ONLY) != (p.kind == p.KEYWORD_ONLY):
            problems.append(f"{pname} is keyword-only in one of the two")
    positional = [n for n, p in theirs.parameters.items() if p.kind == p.POSITIONAL_OR_KEYWORD]
    our_positional = [n for n, p in mine.items() if p.kind == p.POSITIONAL_OR_KEYWORD]
    if our_positional[: len(positional)] != positional:
        problems.append(f"positional order {our_positional} differs from PyTorch's {positional}")
    return problems


@pytest.mark.parametrize("name", _modules())
def test_constructor_takes_pytorchs_parameters(name: str, torch: Any) -> None:
    reference = getattr(torch.nn, name, None)
    if reference is None:
        pytest.skip(f"torch.nn has no {name}")
    theirs, ours = inspect.signature(reference), inspect.signature(getattr(nn, name))
    if reference.__init__ is torch.nn.Module.__init__:
        return  # (*args, **kwargs) that refuse any argument: Sigmoid, Tanh, Softsign ...
    overloads = [inspect.signature(f) for f in typing.get_overloads(reference.__init__)]
    if _only_varargs(theirs) and overloads and not _only_varargs(overloads[0]):
        first = overloads[0]  # RNN, LSTM, GRU: the typed overload, without ``self``
        theirs = first.replace(parameters=list(first.parameters.values())[1:])
    elif _only_varargs(theirs):  # Identity and Sequential take anything
        assert inspect.Parameter.VAR_POSITIONAL in {p.kind for p in ours.parameters.values()}
        return
    assert _differences(name, ours, theirs) == []


@pytest.mark.parametrize("name", _functions())
def test_functional_form_takes_pytorchs_parameters(name: str, torch: Any) -> None:
    reference = getattr(torch.nn.functional, name, None)
    if reference is None:
        pytest.skip(f"torch.nn.functional has no {name}")
    theirs = _torch_function_signature(reference, name)
    if theirs is None:
        pytest.skip(f"torch.nn.functional.{name} documents no parsable signature")
    assert _differences(name, inspect.signature(getattr(F, name)), theirs) == []


def test_the_exceptions_are_still_needed(torch: Any) -> None:
    for (owner, pname), reason in EXCEPTIONS.items():
        ours = inspect.signature(getattr(nn, owner)).parameters[pname]
        theirs = inspect.signature(getattr(torch.nn, owner)).parameters[pname]
        assert reason and ours.default != theirs.default, (owner, pname)


def test_the_doc_parser_reads_a_builtin_signature() -> None:
    sig = _from_doc("pad", "pad(input, pad, mode='constant', value=None) -> Tensor\n\nPads.")
    assert list(sig.parameters) == ["input", "pad", "mode", "value"]
    assert sig.parameters["mode"].default == "constant"
    assert sig.parameters["value"].default is None
