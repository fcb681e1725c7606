/* Keeping a Socket.IO connection alive (the client is the classic script window.io).
 *
 * Socket.IO reconnects by itself after a network drop, but not when the server
 * closed the connection or refused it (e.g. the sign-in ended): then we try again
 * ourselves after a pause. The page is told each change through its handlers:
 *   up()       connected (also after every reconnect)
 *   down()     the connection dropped
 *   refused()  the server refused us (socket not active any more)
 *   failed()   a connection attempt failed; Socket.IO keeps trying
 *   retrying() optional: Socket.IO starts another attempt
 */

export function socketIoLoaded() {
  return typeof window.io === "function";
}

export function keepConnected(socket, handlers, afterServerDropMs) {
  socket.on("connect", function () { handlers.up(); });
  socket.on("disconnect", function (reason) {
    handlers.down();
    if (reason === "io server disconnect") setTimeout(function () { socket.connect(); }, afterServerDropMs);
  });
  socket.on("connect_error", function () {
    if (!socket.active) {
      handlers.refused();
      setTimeout(function () { socket.connect(); }, 10000);
    } else {
      handlers.failed();
    }
  });
  if (handlers.retrying) socket.io.on("reconnect_attempt", handlers.retrying);
}
