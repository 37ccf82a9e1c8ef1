"""vibespec.compile"""
