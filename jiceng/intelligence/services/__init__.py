"""Smart dispatch (dispatch), 未诉先办 detection (hotspots) and its tasks (tasks)."""
