"""The staff board: hosts sign in with a PIN and follow their site's visits live.

views.py     sign-in, sign-out and the board page
events.py    what a board sends over Socket.IO (acknowledge, presence, resync)
snapshot.py  what a board is sent: the whole picture on connect, team changes after
"""

from __future__ import annotations


def init_app(app, socketio) -> None:
    from staffboard import events
    from staffboard.views import board

    app.register_blueprint(board)
    events.init_app(socketio)
