"""Reading a Chinese zone report into reviewable seed proposals (rules, figures, YAML output)."""
