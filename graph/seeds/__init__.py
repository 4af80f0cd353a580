"""Seeds: the frozen model, loading a seeds folder with every problem reported at once, cross-file checks, evidence."""
