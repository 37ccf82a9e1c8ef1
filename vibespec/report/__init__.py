"""vibespec.report"""
