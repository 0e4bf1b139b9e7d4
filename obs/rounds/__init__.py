"""Field rounds: the plan of a visit over a plot, storing a round in one transaction, which
plants are due by the observation-frequency rules, and blank field sheets for a round.

Pure engine: nothing here prompts or prints (the dialogue lives in ``cli/commands/visit.py``).
"""
