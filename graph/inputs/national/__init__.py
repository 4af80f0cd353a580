"""The national A-share chain dataset: read its JSON Lines, and turn it into chainkg's graph model."""
