"""vibespec.spec"""
