"""The interactive HTML view: its data, the side panel's facts, the page and its vendored assets."""
