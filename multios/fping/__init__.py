"""fping health: which federated servers really answer ping."""

from multios.fping.health import check

__all__ = ['check']
