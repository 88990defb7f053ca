"""Volunteering pages, one module per subject; urls.py names them."""
