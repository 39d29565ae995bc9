"""Station roles: the permission matrix, role allocation, settings pushed to stations, remote operations."""
