/* The thank-you screen: three faces for one-tap feedback on a completed visit.
 * The guest is thanked at once; the rating is sent in the background (retried
 * once), and the screen makes room for the next guest after a few seconds.
 */
import { byId } from "../common/dom.js";
import { emit } from "../common/events.js";
import { state, START_OVER } from "./state.js";
import { request } from "./api.js";
import { showScreen } from "./screens.js";

var FEEDBACK_THANKS_MS = 5000;
var feedbackAsk = byId("feedback-ask");
var feedbackDone = byId("feedback-done");
var faceButtons = Array.prototype.slice.call(document.querySelectorAll(".face[data-rating]"));
var feedbackTimer = null;

export function showFeedback() {
  var cur = state.current;
  if (!cur) return;
  cur.feedback = cur.feedback || null;
  renderFeedback();
  showScreen("feedback");
}

function renderFeedback() {
  var cur = state.current;
  var done = !!(cur && cur.feedback);
  feedbackAsk.hidden = done;
  feedbackDone.hidden = !done;
  faceButtons.forEach(function (b) { b.disabled = done; });
}

function giveFeedback(rating) {
  var cur = state.current;
  if (!cur || !cur.visit || cur.feedback || state.screen !== "feedback") return;
  cur.feedback = "sending";
  renderFeedback();
  var visitId = cur.visit.id;
  var body = { rating: rating };
  var post = function (retry) {
    request("POST", "/api/v1/visits/" + encodeURIComponent(visitId) + "/feedback", body).then(function (res) {
      if (!retry) return;
      if (res.status === 0) setTimeout(function () { post(false); }, 2000); // no answer: a moment later
      else if (res.status >= 500) post(false);
    });
  };
  post(true);
  // Thank them at once, then make room for the next guest.
  if (feedbackTimer) clearTimeout(feedbackTimer);
  feedbackTimer = setTimeout(function () {
    feedbackTimer = null;
    if (state.current === cur && state.screen === "feedback") emit(START_OVER);
  }, FEEDBACK_THANKS_MS);
}

export function cancelFeedbackTimer() {
  if (feedbackTimer) { clearTimeout(feedbackTimer); feedbackTimer = null; }
}

export function wireFeedback() {
  faceButtons.forEach(function (b) {
    b.addEventListener("click", function () { giveFeedback(Number(b.getAttribute("data-rating"))); });
  });
}
