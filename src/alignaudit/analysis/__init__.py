"""Findings a consultant can act on, computed from a scored foundation: one module each.

Every analysis is a pure function of scores and statement vectors; none embeds or prints.
"""
