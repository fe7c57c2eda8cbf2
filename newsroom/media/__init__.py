"""Uploaded images: checking and cleaning them with Pillow, their files, their URLs."""
