"""The Socket.IO server side: connections and rooms (connections.py), and the one
publisher every realtime event leaves through (publisher.py)."""
