"""Drawings of the show on paper and in files: the post-show report's chart."""
