"""Reads several areas share: published stories, comment threads, conditional GET."""
