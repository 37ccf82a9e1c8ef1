"""vibespec.plan"""
