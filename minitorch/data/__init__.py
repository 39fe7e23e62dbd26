"""Datasets and loading: shipped digits, MNIST files, the IDX format, downloads."""
