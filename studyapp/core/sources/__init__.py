"""Source parsing: raw text -> Source. ``parse.parse_source`` picks the parser by content.

Kept empty so that importing a light helper (``errors``, ``text``) does not load every parser
and its libraries: the warm start never parses.
"""
