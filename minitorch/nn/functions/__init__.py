"""The math of the layers, once: each family's array kernels and the Functions behind
``nn.functional``. The layers in ``nn/layers/`` own the parameters and call these kernels."""
