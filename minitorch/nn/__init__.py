"""Neural-network building blocks: Module, Layer, Parameter, the layer catalogue and losses."""

from minitorch.nn import functional, init, utils
from minitorch.nn.containers import ModuleDict, ModuleList, Sequential
from minitorch.nn.layer import Layer
from minitorch.nn.layers import Identity, Linear, ReLU, Sigmoid, Tanh
from minitorch.nn.losses import MSELoss
from minitorch.nn.module import Module
from minitorch.nn.parameter import Parameter

__all__ = [
    "Identity",
    "Layer",
    "Linear",
    "MSELoss",
    "Module",
    "ModuleDict",
    "ModuleList",
    "Parameter",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Tanh",
    "functional",
    "init",
    "utils",
]
