"""``minitorch.utils.data`` is ``minitorch.data``, as ``torch.utils.data`` is where PyTorch keeps
``DataLoader``: ``from minitorch.utils.data import DataLoader`` gives the very same class.

Importing this module puts ``minitorch.data`` (and each of its submodules, under
``minitorch.utils.data.<name>``) in its place in ``sys.modules``, so both names are one module
and ``isinstance`` checks agree whichever path a program imports from.
"""

import sys

import minitorch.data

for _name, _module in list(sys.modules.items()):
    if _name.startswith("minitorch.data."):
        sys.modules["minitorch.utils.data." + _name.removeprefix("minitorch.data.")] = _module
sys.modules[__name__] = minitorch.data
