"""Every public function, class and method of the user-facing modules has a docstring whose first
line is a summary, and every layer's class docstring has a ``Shape:`` section (issue 15).

What is walked: the modules of ``MODULES`` plus each public submodule of ``minitorch.utils``.
A module's public names are its ``__all__``, or else its names without a leading underscore;
of those, the functions and classes defined in minitorch are checked (re-exported NumPy or
standard-library objects, dtypes, constants and modules are not). For a class, the members
checked are the public (no leading underscore, no dunder) functions, static and class methods
and properties that each minitorch class in its MRO defines itself (``vars(klass)``), so the
mixins Tensor is assembled from are covered too.

The one inheritance rule: a member named in ``CONTRACT`` (``forward``, ``backward``,
``extra_repr``, ``reset_parameters``, ``step`` ...) that has no docstring of its own counts as
documented when a minitorch base class later in the MRO defines a documented member of the same
name, which is the docstring ``inspect.getdoc`` and ``help()`` then show. Those are the methods
whose contract the base fixes (the Layer contract, the optimizer and scheduler protocol, the
samplers' and fetchers' hooks), so an override restating it would say nothing new; an override
whose computation needs saying still writes its own. Any other member needs its own docstring.
"""

import importlib
import inspect
import pkgutil

import minitorch
import minitorch.nn as nn
import minitorch.utils
from minitorch.backend.dtypes import MissingDtypeError

MODULES = ["minitorch", "minitorch.nn", "minitorch.nn.functional", "minitorch.nn.init",
           "minitorch.optim", "minitorch.optim.lr_scheduler", "minitorch.data",
           "minitorch.utils"]  # fmt: skip
CONTRACT = {"forward", "backward", "extra_repr", "reset_parameters", "step", "get_lr",
            "state_dict", "load_state_dict", "add_param_group", "index_array"}  # fmt: skip
# the public nn.Modules that are not layers: the bases and the containers
NOT_LAYERS = {"Module", "Layer", "Sequential", "ModuleList", "ModuleDict", "ParameterList",
              "ParameterDict"}  # fmt: skip


def _modules() -> list:
    names = list(MODULES)
    names += [f"minitorch.utils.{m.name}" for m in pkgutil.iter_modules(minitorch.utils.__path__)
              if not m.name.startswith("_") and m.name != "data"]  # fmt: skip
    return [importlib.import_module(name) for name in names]


def _ours(obj: object) -> bool:
    return (getattr(obj, "__module__", None) or "").startswith("minitorch")


def _public_objects(module) -> list:
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in dir(module) if not n.startswith("_")]
    out = []
    for name in names:
        try:
            obj = getattr(module, name)
        except (ImportError, MissingDtypeError):  # behind an optional package (mt.bfloat16)
            continue
        if (inspect.isclass(obj) or inspect.isfunction(obj)) and _ours(obj):
            out.append(obj)
    return out


def _function(member: object) -> object | None:
    """The object holding a class member's docstring; None for what is not a method/property."""
    if isinstance(member, (staticmethod, classmethod)):
        return member.__func__
    if isinstance(member, property):
        return member
    return member if inspect.isfunction(member) else None


def _has_summary(obj: object) -> bool:
    doc = obj.__doc__
    return bool(doc and doc.strip() and inspect.cleandoc(doc).splitlines()[0].strip())


def _documented_in_base(cls: type, klass: type, name: str) -> bool:
    mro = cls.__mro__
    for base in mro[mro.index(klass) + 1 :]:
        member = _function(vars(base).get(name)) if _ours(base) else None
        if member is not None and _has_summary(member):
            return True
    return False


def _checked() -> list[tuple[str, bool]]:
    """(qualified name, documented) for every object and member the walk checks."""
    seen, checked = set(), []
    for module in _modules():
        for obj in _public_objects(module):
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            checked.append((f"{obj.__module__}.{obj.__qualname__}", _has_summary(obj)))
            if not inspect.isclass(obj):
                continue
            for klass in filter(_ours, obj.__mro__):
                for name, member in vars(klass).items():
                    fn = _function(member)
                    if name.startswith("_") or fn is None or (id(klass), name) in seen:
                        continue
                    seen.add((id(klass), name))
                    documented = _has_summary(fn) or (
                        name in CONTRACT and _documented_in_base(obj, klass, name)
                    )
                    checked.append((f"{klass.__module__}.{klass.__qualname__}.{name}", documented))
    return checked


def test_every_public_function_class_and_method_has_a_summary_line():
    missing = [name for name, documented in _checked() if not documented]
    assert not missing, f"{len(missing)} public objects without a docstring:\n" + "\n".join(
        missing
    )


def test_every_layer_docstring_has_a_shape_section():
    layers = [getattr(nn, n) for n in nn.__all__ if n not in NOT_LAYERS]
    layers = [c for c in layers if inspect.isclass(c) and issubclass(c, nn.Module)]
    assert len(layers) > 80  # the walk found the layers and losses
    missing = [c.__name__ for c in layers if "Shape:" not in (c.__doc__ or "")]
    assert not missing, f"layers whose docstring has no Shape: section: {missing}"


def test_the_walk_reaches_mixin_methods_overrides_and_submodules():
    names = {name for name, _ in _checked()}
    assert len(names) > 1000
    assert {
        "minitorch.autograd.tensor.Tensor",
        "minitorch.autograd.methods.pointwise.PointwiseMethods.sin",  # a mixin of Tensor
        "minitorch.nn.layers.linear.Linear.forward",  # an override
        "minitorch.nn.init.kaiming_uniform_",
        "minitorch.optim.adam.Adam.update",
        "minitorch.data.dataloader.DataLoader",
        "minitorch.utils.safetensors.save_file",  # a public submodule of minitorch.utils
    } <= names
