"""The NumPy floor: hand-written forward, backward and optimizer code for the MLP and LeNet.

It shows what plain NumPy can do on this machine when nothing is generic: activations in
preallocated buffers, the CNN in NHWC with im2col + one GEMM per convolution, and optimizers
that update one flat parameter array in place. minitorch should land between it and PyTorch.
"""

from benchmarks.floor.cnn import LeNet
from benchmarks.floor.mlp import MLP
from benchmarks.floor.optim import SGD, Adam

__all__ = ["MLP", "LeNet", "SGD", "Adam"]
