"""python -m alignaudit"""

from .cli import main

main()
