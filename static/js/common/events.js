/* The page's event bus: how a module tells the others that something happened
 * without importing them (and so without import cycles).
 *
 *   on(name, fn)        fn(payload) runs on every emit(name, ...); returns a function
 *                       that unsubscribes it
 *   emit(name, payload) runs the subscribers of `name` now, in the order they
 *                       subscribed, before emit returns
 *
 * A subscriber that throws does not keep the others from running; the first error
 * is thrown again once all have run, so the emitter sees it as if it had called
 * them itself. Each page (kiosk, staff board) is one bus; the names it uses are
 * listed in that page's state.js.
 */

var subscribers = new Map(); // name -> [fn]

export function on(name, fn) {
  if (!subscribers.has(name)) subscribers.set(name, []);
  subscribers.get(name).push(fn);
  return function off() {
    var list = subscribers.get(name) || [];
    var at = list.indexOf(fn);
    if (at >= 0) list.splice(at, 1);
  };
}

export function emit(name, payload) {
  var list = (subscribers.get(name) || []).slice();
  var failure = null;
  list.forEach(function (fn) {
    try { fn(payload); } catch (e) { if (!failure) failure = { error: e }; }
  });
  if (failure) throw failure.error;
}
