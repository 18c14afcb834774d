"""Etalase: a static catalogue of goods made in correctional workshops."""

__version__ = "0.1.0"
