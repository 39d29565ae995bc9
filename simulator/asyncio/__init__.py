"""The asyncio transport: stations over `websockets` client connections, one or thousands a loop."""
