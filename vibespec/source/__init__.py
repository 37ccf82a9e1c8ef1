"""vibespec.source"""
