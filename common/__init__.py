"""Small helpers every app's views share. Imports no project app."""
