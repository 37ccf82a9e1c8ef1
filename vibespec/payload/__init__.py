"""vibespec.payload"""
