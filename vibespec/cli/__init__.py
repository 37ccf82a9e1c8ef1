"""vibespec.cli"""
