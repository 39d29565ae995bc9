"""`evharness bench`: the capacity benchmark (not part of the test suite).

Every figure is measured against a baseline taken in the same run on the same machine: a raw
websockets JSON echo server and a raw websockets client. Every process is a child started here on
127.0.0.1 and stopped by its PID; CPU comes from `os.wait4` (clients) or psutil (servers), memory from
the processes' RSS.
"""
