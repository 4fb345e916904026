"""Plain helpers shared by test modules; fixtures stay in ``tests/conftest.py``.

Test modules import from here and never from each other or from conftest.py,
which pytest imports itself (importing it again would load it a second time).
"""
