/* The board's sound: a chime made with WebAudio (no sound file).
 *
 * Browsers start audio only after a tap, so "Start" unlocks it, and so does any
 * later tap. Sound counts as "on" only with a running AudioContext; anything else
 * after Start shows the "sound is off" warning (#sound-off), which turns it on.
 */
import { byId } from "../common/dom.js";
import { root, page } from "./page.js";

var audio = null;
var lastChime = 0;
var soundButton = byId("sound-off");

export function initAudio() {
  var Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx) return;
  try {
    if (!audio) {
      audio = new Ctx();
      if (typeof audio.addEventListener === "function") audio.addEventListener("statechange", renderSound);
    }
    if (audio.state === "suspended") {
      var p = audio.resume();
      if (p && typeof p.then === "function") p.then(renderSound, renderSound);
    }
  } catch (e) { audio = null; }
  renderSound();
}

export function renderSound() {
  var on = !!(audio && audio.state === "running");
  root.setAttribute("data-sound", !page.started ? "idle" : (on ? "on" : "off"));
  if (soundButton) soundButton.hidden = !page.started || on;
}

function turnSoundOn() {
  initAudio();
  if (audio && typeof audio.resume === "function") {
    try {
      var p = audio.resume();
      if (p && typeof p.then === "function") p.then(function () { renderSound(); if (audio.state === "running") chime(true); }, renderSound);
    } catch (e) { /* stays off; the warning stays */ }
  }
  renderSound();
}

export function wireSoundButton() {
  if (soundButton) soundButton.addEventListener("click", turnSoundOn);
}

// A tap anywhere may wake a suspended AudioContext.
export function resumeSuspendedAudio() {
  if (audio && audio.state === "suspended") audio.resume();
}

// The full chime for a guest; a soft one to confirm sound works.
export function chime(soft) {
  if (!audio) return;
  try {
    if (audio.state === "suspended") audio.resume();
    var t0 = audio.currentTime + 0.03;
    var notes = soft ? [[660, 0, 0.35]] : [[784, 0, 0.9], [1047, 0.16, 1.0], [1319, 0.32, 1.4]];
    var peak = soft ? 0.08 : 0.28;
    notes.forEach(function (n) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.setValueAtTime(n[0], t0 + n[1]);
      gain.gain.setValueAtTime(0.0001, t0 + n[1]);
      gain.gain.exponentialRampToValueAtTime(peak, t0 + n[1] + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + n[1] + n[2]);
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start(t0 + n[1]);
      osc.stop(t0 + n[1] + n[2] + 0.05);
    });
    if (!soft) lastChime = Date.now();
  } catch (e) { /* no sound is better than a broken board */ }
}

export function msSinceLastChime() {
  return Date.now() - lastChime;
}

/* The drill's sound: the full chime, and whether it really started. Resolves to
 * "played" (the AudioContext was running when the chime was scheduled), "blocked"
 * (the browser kept it suspended: no tap since it was blocked) or "unsupported". */
export function testSound() {
  initAudio();
  if (!audio) return Promise.resolve("unsupported");
  var resumed = audio.state === "running" ? Promise.resolve() : Promise.race([
    audio.resume(), new Promise(function (done) { setTimeout(done, 1000); }) // a blocked resume may never settle
  ]).catch(function () { /* judged by the state below */ });
  return resumed.then(function () {
    renderSound();
    if (audio.state !== "running") return "blocked";
    chime(false);
    return "played";
  });
}
