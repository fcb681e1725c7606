/* Gastgeber kiosk — the check-in tablet at the door.
 *
 * Rules this file keeps:
 *  - The customer is told "we noticed you" the moment they tap, before any network.
 *  - A check-in is never lost: it sits in localStorage and is resent with the same
 *    client_id (idempotency key) until the server answers, even across reloads.
 *  - Only the current customer's own visit is ever shown (matched by id); no
 *    customer name is ever put on screen. All text goes through textContent.
 *  - Whether the server recognised the customer (phone, e-mail, appointment code)
 *    never changes what this screen shows; only an appointment code the customer
 *    typed and the server did not find gets a friendly note.
 *  - A completed visit ends with a thank-you and three faces for one-tap feedback.
 *  - The privacy notice (text and version from the kiosk config) is one tap away on
 *    the welcome screen, in the kiosk's current language; every check-in carries the
 *    version of the notice this kiosk shows.
 */
(function () {
  "use strict";

  var STORAGE_KEY = "gastgeber.kiosk.pending.v1";
  var MAX_PENDING_AGE_MS = 15 * 60 * 1000;
  var POLL_MS = 3000;
  var REQUEST_TIMEOUT_MS = 10000;
  var NEW_CHECKIN_GUARD_MS = 900;
  var FEEDBACK_THANKS_MS = 5000;
  var PHONE = /^\+?[0-9 ()\/.\-]{5,30}$/;
  var EMAIL = /^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}$/;
  var RANK = { waiting: 0, acknowledged: 1, greeted: 2, completed: 3, abandoned: 3 };

  // No UI text lives in this file: every string comes from the translation catalogues
  // (translations/<lang>/LC_MESSAGES/messages.po), fetched as /i18n/<lang>.json; the page
  // carries the texts of its own language (#kiosk-texts) for the moment before that.
  var PREFIX = "kiosk.";
  var COMPACT_BELOW_PX = 720; // a visual viewport lower than this while typing: keyboard up, make room

  // ---------------------------------------------------------------- config
  function readJson(id) {
    var node = document.getElementById(id);
    if (!node) return null;
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  function readConfig() {
    var cfg = {};
    try {
      cfg = JSON.parse(document.getElementById("kiosk-config").textContent) || {};
    } catch (e) {
      cfg = {};
    }
    var languages = readJson("kiosk-languages");
    if (!Array.isArray(languages) || !languages.length) languages = Array.isArray(cfg.languages) ? cfg.languages : [];
    if (!languages.length) languages = [document.documentElement.lang || "de"];
    var def = languages.indexOf(cfg.default_language) >= 0 ? cfg.default_language : languages[0];
    var idle = Number(cfg.idle_seconds);
    if (!isFinite(idle) || idle < 5) idle = 60;
    var notice = cfg.privacy_notice && typeof cfg.privacy_notice === "object" ? cfg.privacy_notice : {};
    var texts = {};
    languages.forEach(function (lang) {
      if (typeof notice[lang] === "string" && notice[lang]) texts[lang] = notice[lang];
    });
    return {
      idle_seconds: idle,
      default_language: def,
      languages: languages,
      privacy_version: typeof notice.version === "string" && notice.version ? notice.version : null,
      privacy_texts: texts
    };
  }

  var CONFIG = readConfig();

  // ---------------------------------------------------------------- elements
  var $ = function (id) { return document.getElementById(id); };
  var root = $("kiosk");
  var form = $("checkin-form");
  var nameInput = $("name");
  var codeInput = $("appointment_code");
  var contactInput = $("contact");
  var screens = { welcome: $("screen-welcome"), confirm: $("screen-confirm"), feedback: $("screen-feedback") };
  var codeNote = $("code-note");
  var feedbackAsk = $("feedback-ask");
  var feedbackDone = $("feedback-done");
  var feedbackSkip = $("feedback-skip");
  var faceButtons = Array.prototype.slice.call(document.querySelectorAll(".face[data-rating]"));
  var statusLine = $("status-line");
  var hint = $("connecting-hint");
  var newCheckinButton = $("new-checkin");
  var langButtons = Array.prototype.slice.call(document.querySelectorAll(".lang-button"));
  var privacyOpen = $("privacy-open");
  var privacyDialog = $("privacy-dialog");
  var privacyText = $("privacy-text");
  var privacyClose = $("privacy-close");
  var helpButton = $("help-button");
  var confirmTitle = $("confirm-title");

  // ---------------------------------------------------------------- state
  var state = {
    lang: CONFIG.default_language,
    screen: "welcome",
    screenSince: Date.now(),
    // { client_id, visit: Visit|null, form: {name, code, contact}, feedback: null|"sending"|"sent" }
    current: null,
    errors: {} // field -> {key, extra}
  };
  var strings = {}; // lang -> {key: text}
  var pending = {}; // client_id -> {client_id, body, created, attempt, timer, inflight}
  var recent = {}; // visit id -> {visit, at}; updates that came before our POST answer
  var socket = null;
  var socketUp = false;
  var idleTimer = null;
  var feedbackTimer = null;

  // ---------------------------------------------------------------- i18n
  var directions = {}; // lang -> "ltr" | "rtl"
  var TITLE_REST = (function () { // " · <kiosk name>"
    var at = document.title.indexOf(" \u00b7 ");
    return at >= 0 ? document.title.slice(at) : "";
  })();

  (function pageTexts() {
    var page = readJson("kiosk-texts");
    if (page && page.language && page.texts && typeof page.texts === "object") {
      strings[page.language] = page.texts;
      directions[page.language] = document.documentElement.dir || "ltr";
    }
  })();

  function lookup(lang, key) {
    var table = strings[lang];
    return table && Object.prototype.hasOwnProperty.call(table, PREFIX + key) ? table[PREFIX + key] : "";
  }

  function t(key) {
    return lookup(state.lang, key) || lookup(CONFIG.default_language, key) || lookup("en", key) || "";
  }

  function fill(template, name) {
    // A function as replacement, so "$&" or "$1" in a name stay literal.
    return template.replace("{name}", function () { return name; });
  }

  function loadStrings() {
    var loads = CONFIG.languages.map(function (lang) {
      return fetch("/i18n/" + encodeURIComponent(lang) + ".json", { credentials: "same-origin" })
        .then(function (res) { return res.ok ? res.json() : null; })
        .then(function (data) {
          if (data && data.texts && typeof data.texts === "object") {
            strings[lang] = data.texts;
            directions[lang] = data.direction === "rtl" ? "rtl" : "ltr";
          }
        })
        .catch(function () { /* keep what the page brought */ });
    });
    return Promise.all(loads);
  }

  function applyLanguage() {
    var html = document.documentElement;
    if (strings[state.lang]) {
      html.lang = state.lang;
      html.dir = directions[state.lang] || "ltr";
    }
    var nodes = document.querySelectorAll("[data-i18n]");
    for (var i = 0; i < nodes.length; i++) {
      var text = t(nodes[i].getAttribute("data-i18n"));
      if (text && nodes[i].textContent !== text) nodes[i].textContent = text;
    }
    langButtons.forEach(function (b) {
      var lang = b.getAttribute("data-lang");
      var label = lookup(lang, "lang_name");
      if (label && b.textContent !== label) b.textContent = label;
      b.setAttribute("aria-pressed", lang === state.lang ? "true" : "false");
    });
    var title = t("page_title");
    if (title) document.title = title + TITLE_REST;
    renderStatus();
    renderErrors();
    renderPrivacy();
  }

  function setLanguage(lang) {
    if (CONFIG.languages.indexOf(lang) < 0) return;
    state.lang = lang;
    applyLanguage();
    touch();
  }

  // ---------------------------------------------------------------- screens
  function showScreen(name) {
    state.screen = name;
    state.screenSince = Date.now();
    Object.keys(screens).forEach(function (key) {
      screens[key].hidden = key !== name;
    });
    root.setAttribute("data-screen", name);
    if (name === "confirm" || name === "feedback") {
      // Swallow the second half of a double tap on "Check in": the button is
      // briefly disabled instead of ignoring clicks, so it is clear to everyone.
      var guarded = name === "confirm" ? newCheckinButton : feedbackSkip;
      guarded.disabled = true;
      setTimeout(function () { guarded.disabled = false; }, NEW_CHECKIN_GUARD_MS);
    }
    touch();
  }

  function renderStatus() {
    var cur = state.current;
    var v = cur && cur.visit;
    var help = !!(cur && cur.help);
    var next = "notifying";
    var text = t(help ? "help_notifying" : "notifying");
    var heading = t(help ? "help_title" : "noticed");
    if (heading && confirmTitle.textContent !== heading) confirmTitle.textContent = heading;
    root.setAttribute("data-help", help ? "true" : "false");
    if (v && (v.status === "acknowledged" || v.status === "greeted")) {
      var who = (v.acknowledged_by && v.acknowledged_by.name) || (v.host && v.host.name) || "";
      next = "coming";
      text = who ? fill(t("coming"), String(who)) : t("coming_someone");
    } else if (v && v.status === "completed") {
      next = "thanks";
      text = t("thanks") || t("noticed");
    }
    if (statusLine.textContent !== text) statusLine.textContent = text;
    if (statusLine.getAttribute("data-state") !== next) {
      statusLine.setAttribute("data-state", next);
      touch(); // a visible change of the screen restarts the idle clock
    }
    hint.hidden = !(cur && pending[cur.client_id] && pending[cur.client_id].attempt > 0);
    // An appointment code the server did not find: say so kindly; the check-in stands.
    codeNote.hidden = !(cur && cur.form && cur.form.code && v &&
      Object.prototype.hasOwnProperty.call(v, "appointment") && v.appointment === null);
    if (v && v.status === "completed" && state.screen === "confirm") showFeedback();
  }

  // ---------------------------------------------------------------- thank you & feedback
  function showFeedback() {
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
        if (res.status >= 500 && retry) post(false);
      }, function () { if (retry) setTimeout(function () { post(false); }, 2000); });
    };
    post(true);
    // Thank them at once, then make room for the next guest.
    if (feedbackTimer) clearTimeout(feedbackTimer);
    feedbackTimer = setTimeout(function () {
      feedbackTimer = null;
      if (state.current === cur && state.screen === "feedback") resetToWelcome();
    }, FEEDBACK_THANKS_MS);
  }

  // ---------------------------------------------------------------- errors
  function setError(field, key, extra) {
    state.errors[field] = { key: key, extra: extra || "" };
    renderErrors();
  }

  function clearErrors() {
    state.errors = {};
    renderErrors();
  }

  function renderErrors() {
    ["name", "contact", "appointment_code", "form"].forEach(function (field) {
      var el = $(field + "-error");
      if (!el) return;
      var err = state.errors[field];
      var input = field === "form" ? null : $(field);
      if (err) {
        el.textContent = t(err.key) + (err.extra ? " " + err.extra : "");
        el.hidden = false;
        if (input) input.setAttribute("aria-invalid", "true");
      } else {
        el.textContent = "";
        el.hidden = true;
        if (input) input.removeAttribute("aria-invalid");
      }
    });
  }

  // ---------------------------------------------------------------- privacy notice
  function privacyNotice() {
    var texts = CONFIG.privacy_texts;
    return texts[state.lang] || texts[CONFIG.default_language] || texts.en || texts.de || "";
  }

  function renderPrivacy() {
    var text = privacyNotice();
    if (privacyText.textContent !== text) privacyText.textContent = text;
    privacyOpen.hidden = !text;
  }

  function privacyIsOpen() {
    return privacyDialog.hasAttribute("open");
  }

  function openPrivacy() {
    if (privacyIsOpen() || !privacyNotice()) return;
    renderPrivacy();
    if (typeof privacyDialog.showModal === "function") privacyDialog.showModal();
    else privacyDialog.setAttribute("open", "");
    privacyClose.focus();
    touch();
  }

  function closePrivacy() {
    if (!privacyIsOpen()) return;
    if (typeof privacyDialog.close === "function") privacyDialog.close();
    else { privacyDialog.removeAttribute("open"); onPrivacyClosed(); }
  }

  function onPrivacyClosed() {
    // Back where the customer was: the link that opened the notice, if it is still on screen.
    if (state.screen === "welcome" && !privacyOpen.hidden) privacyOpen.focus();
    touch();
  }

  // ---------------------------------------------------------------- idle
  function touch() {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(onIdle, CONFIG.idle_seconds * 1000);
  }

  function formIsEmpty() {
    return !nameInput.value && !codeInput.value && !contactInput.value && !Object.keys(state.errors).length;
  }

  function onIdle() {
    idleTimer = null;
    if (state.screen === "welcome" && formIsEmpty() && state.lang === CONFIG.default_language && !privacyIsOpen()) return;
    resetToWelcome();
  }

  function resetToWelcome() {
    state.current = null; // forget the visit; a pending check-in still goes out in the background
    closePrivacy();
    if (feedbackTimer) { clearTimeout(feedbackTimer); feedbackTimer = null; }
    markCurrent(null);
    form.reset();
    nameInput.value = "";
    codeInput.value = "";
    contactInput.value = "";
    codeNote.hidden = true;
    clearErrors();
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    state.lang = CONFIG.default_language;
    applyLanguage();
    showScreen("welcome");
  }

  // ---------------------------------------------------------------- ids & storage
  function newClientId() {
    var c = window.crypto || window.msCrypto;
    if (c && typeof c.randomUUID === "function") {
      try { return c.randomUUID(); } catch (e) { /* not a secure context */ }
    }
    var bytes = new Uint8Array(16);
    if (c && typeof c.getRandomValues === "function") {
      c.getRandomValues(bytes);
    } else {
      for (var i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function readStored() {
    try {
      var list = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "[]");
      return Array.isArray(list) ? list : [];
    } catch (e) {
      return [];
    }
  }

  function writeStored() {
    var curId = state.current ? state.current.client_id : null;
    var list = Object.keys(pending).map(function (id) {
      var p = pending[id];
      return { client_id: p.client_id, body: p.body, created: p.created, current: p.client_id === curId };
    });
    try {
      if (list.length) window.localStorage.setItem(STORAGE_KEY, JSON.stringify(list));
      else window.localStorage.removeItem(STORAGE_KEY);
    } catch (e) { /* storage full or disabled: we still retry from memory */ }
  }

  function markCurrent() { writeStored(); }

  function addPending(entry) {
    pending[entry.client_id] = entry;
    writeStored();
  }

  function dropPending(clientId) {
    var p = pending[clientId];
    if (p && p.timer) clearTimeout(p.timer);
    delete pending[clientId];
    writeStored();
  }

  // ---------------------------------------------------------------- HTTP
  function request(method, url, body) {
    var ctrl = typeof AbortController === "function" ? new AbortController() : null;
    var timer = ctrl ? setTimeout(function () { ctrl.abort(); }, REQUEST_TIMEOUT_MS) : null;
    var opts = {
      method: method,
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Accept": "application/json" },
      signal: ctrl ? ctrl.signal : undefined
    };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    return fetch(url, opts).then(function (res) {
      if (timer) clearTimeout(timer);
      return res.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        return { ok: res.ok, status: res.status, data: data, headers: res.headers };
      });
    }, function (err) {
      if (timer) clearTimeout(timer);
      throw err;
    });
  }

  function isRetryable(status) {
    return status >= 500 || status === 0 || [401, 403, 404, 408, 425, 429].indexOf(status) >= 0;
  }

  // ---------------------------------------------------------------- check-in
  function send(entry) {
    if (!pending[entry.client_id] || entry.inflight) return;
    entry.inflight = true;
    if (entry.timer) { clearTimeout(entry.timer); entry.timer = null; }
    request("POST", "/api/v1/checkins", entry.body).then(function (res) {
      entry.inflight = false;
      if (!pending[entry.client_id]) return;
      if (res.ok && res.data && res.data.visit) {
        dropPending(entry.client_id);
        onCheckedIn(entry, res.data.visit);
      } else if (!res.ok && !isRetryable(res.status)) {
        dropPending(entry.client_id);
        onRejected(entry, res);
      } else {
        var retryAfter = res.headers && Number(res.headers.get("Retry-After"));
        scheduleRetry(entry, isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 0,
          res.status === 401 || res.status === 403 || res.status === 404);
      }
    }, function () {
      entry.inflight = false;
      scheduleRetry(entry, 0, false);
    });
  }

  function scheduleRetry(entry, atLeastMs, slow) {
    if (!pending[entry.client_id]) return;
    entry.attempt = (entry.attempt || 0) + 1;
    var base = Math.min(15000, 1000 * Math.pow(2, entry.attempt - 1));
    if (slow) base = Math.max(base, 10000);
    var delay = Math.max(atLeastMs || 0, base * (0.8 + Math.random() * 0.4));
    entry.timer = setTimeout(function () { entry.timer = null; send(entry); }, delay);
    renderStatus();
  }

  function retryAllNow() {
    Object.keys(pending).forEach(function (id) {
      var p = pending[id];
      if (!p.inflight) send(p);
    });
  }

  function onCheckedIn(entry, visit) {
    var cur = state.current;
    if (!cur || cur.client_id !== entry.client_id) { renderStatus(); return; } // a background resend
    var early = recent[String(visit.id)];
    cur.visit = early && rank(early.visit) > rank(visit) ? early.visit : visit;
    recent = {};
    writeStored();
    renderStatus();
  }

  function onRejected(entry, res) {
    var cur = state.current;
    if (!cur || cur.client_id !== entry.client_id) return; // nobody is waiting for this one any more
    var err = (res.data && res.data.error) || {};
    state.current = null;
    writeStored();
    nameInput.value = cur.form.name;
    codeInput.value = cur.form.code;
    contactInput.value = cur.form.contact || "";
    state.errors = {};
    if (err.field === "name") {
      setError("name", cur.form.name.length > 80 ? "error_name_too_long" : "error_name");
    } else if (err.field === "phone" || err.field === "email") {
      setError("contact", "error_contact");
    } else if (err.field === "appointment_code") {
      setError("appointment_code", "error_appointment_code");
    } else {
      setError("form", "error_generic");
    }
    showScreen("welcome");
    renderStatus();
    var focusField = err.field === "appointment_code" ? codeInput : err.field === "name" ? nameInput :
      (err.field === "phone" || err.field === "email") ? contactInput : null;
    if (focusField) focusField.focus();
  }

  function onSubmit(ev) {
    ev.preventDefault();
    clearErrors();
    var name = nameInput.value.replace(/\s+/g, " ").trim();
    var code = codeInput.value.trim();
    var contact = contactInput.value.trim();
    var reach = contactFields(contact);
    if (!name) {
      setError("name", "error_name_required");
      nameInput.focus();
      touch();
      return;
    }
    if (name.length > 80) {
      setError("name", "error_name_too_long");
      nameInput.focus();
      touch();
      return;
    }
    if (!reach) {
      setError("contact", "error_contact");
      contactInput.focus();
      touch();
      return;
    }
    var clientId = newClientId();
    var body = { name: name, client_id: clientId, language: state.lang };
    if (CONFIG.privacy_version) body.privacy_notice_version = CONFIG.privacy_version;
    if (reach.phone) body.phone = reach.phone;
    if (reach.email) body.email = reach.email;
    if (code) body.appointment_code = code;
    var entry = { client_id: clientId, body: body, created: Date.now(), attempt: 0 };
    state.current = { client_id: clientId, visit: null, form: { name: name, code: code, contact: contact }, feedback: null };
    addPending(entry);
    // Say it at once; the network comes second.
    nameInput.value = "";
    codeInput.value = "";
    contactInput.value = "";
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    showScreen("confirm");
    renderStatus();
    send(entry);
  }

  // "Please help me": no name, no typing; the whole team is alerted at once.
  function onHelp() {
    if (state.screen !== "welcome" || (state.current && !state.current.visit && state.current.help)) return;
    clearErrors();
    var clientId = newClientId();
    var body = { help: true, client_id: clientId, language: state.lang };
    if (CONFIG.privacy_version) body.privacy_notice_version = CONFIG.privacy_version;
    var entry = { client_id: clientId, body: body, created: Date.now(), attempt: 0 };
    state.current = { client_id: clientId, visit: null, help: true, form: { name: "", code: "", contact: "" }, feedback: null };
    addPending(entry);
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    showScreen("confirm");
    renderStatus();
    send(entry);
  }

  // A phone number if it looks like one (digits, spaces, + ( ) / . -), else an e-mail.
  // Returns {} for an empty field and null for something that is neither.
  function contactFields(text) {
    if (!text) return {};
    var digits = text.replace(/[^0-9]/g, "").length;
    if (/^[+0-9 ()\/.\-]+$/.test(text)) return PHONE.test(text) && digits >= 5 ? { phone: text } : null;
    return EMAIL.test(text) ? { email: text } : null;
  }

  function restorePending() {
    var now = Date.now();
    readStored().forEach(function (item) {
      if (!item || !item.client_id || !item.body) return;
      if (typeof item.body.name !== "string" && item.body.help !== true) return;
      if (!(now - item.created < MAX_PENDING_AGE_MS)) return;
      pending[item.client_id] = { client_id: item.client_id, body: item.body, created: item.created, attempt: 0 };
      if (item.current && now - item.created < CONFIG.idle_seconds * 1000) {
        state.current = {
          client_id: item.client_id,
          visit: null,
          help: item.body.help === true,
          form: {
            name: item.body.name || "",
            code: item.body.appointment_code || "",
            contact: item.body.phone || item.body.email || ""
          },
          feedback: null
        };
        if (item.body.language && CONFIG.languages.indexOf(item.body.language) >= 0) state.lang = item.body.language;
      }
    });
    writeStored();
  }

  // ---------------------------------------------------------------- live updates
  function rank(v) {
    return v && Object.prototype.hasOwnProperty.call(RANK, v.status) ? RANK[v.status] : -1;
  }

  function onVisit(v) {
    if (!v || v.id === undefined || v.id === null) return;
    var cur = state.current;
    if (!cur) return;
    if (!cur.visit) {
      // Our POST is still on its way; keep the update (never shown) in case it is ours.
      recent[String(v.id)] = { visit: v, at: Date.now() };
      return;
    }
    if (String(v.id) !== String(cur.visit.id)) return; // someone else's visit: ignore
    if (rank(v) < rank(cur.visit)) return; // stale
    if (v.status === "abandoned") { resetToWelcome(); return; }
    cur.visit = v;
    renderStatus();
  }

  function refreshCurrent() {
    var cur = state.current;
    if (!cur || !cur.visit || rank(cur.visit) >= 3) return;
    var id = cur.visit.id;
    request("GET", "/api/v1/visits/" + encodeURIComponent(id)).then(function (res) {
      if (res.ok && res.data && res.data.visit) onVisit(res.data.visit);
    }, function () { /* next poll */ });
  }

  function connectSocket() {
    if (typeof window.io !== "function") return;
    socket = window.io({ auth: { as: "kiosk" } });
    socket.on("connect", function () {
      socketUp = true;
      refreshCurrent(); // catch up with anything missed while away
    });
    socket.on("disconnect", function (reason) {
      socketUp = false;
      if (reason === "io server disconnect") setTimeout(function () { socket.connect(); }, 5000);
    });
    socket.on("connect_error", function () {
      socketUp = false;
      if (!socket.active) setTimeout(function () { socket.connect(); }, 10000);
    });
    socket.on("visit.updated", function (payload) {
      if (payload && payload.visit) onVisit(payload.visit);
    });
  }

  function tick() {
    var now = Date.now();
    Object.keys(recent).forEach(function (id) {
      if (now - recent[id].at > 60000) delete recent[id];
    });
    if (!socketUp) refreshCurrent();
  }

  // ---------------------------------------------------------------- wiring
  form.addEventListener("submit", onSubmit);
  nameInput.addEventListener("input", function () {
    if (state.errors.name) { delete state.errors.name; renderErrors(); }
  });
  codeInput.addEventListener("input", function () {
    if (state.errors.appointment_code) { delete state.errors.appointment_code; renderErrors(); }
  });
  contactInput.addEventListener("input", function () {
    if (state.errors.contact) { delete state.errors.contact; renderErrors(); }
  });
  newCheckinButton.addEventListener("click", resetToWelcome);
  feedbackSkip.addEventListener("click", resetToWelcome);
  faceButtons.forEach(function (b) {
    b.addEventListener("click", function () { giveFeedback(Number(b.getAttribute("data-rating"))); });
  });
  langButtons.forEach(function (b) {
    b.addEventListener("click", function () { setLanguage(b.getAttribute("data-lang")); });
  });
  helpButton.addEventListener("click", onHelp);
  privacyOpen.addEventListener("click", openPrivacy);
  privacyClose.addEventListener("click", closePrivacy);
  privacyDialog.addEventListener("close", onPrivacyClosed);
  privacyDialog.addEventListener("click", function (ev) {
    if (ev.target === privacyDialog) closePrivacy(); // a tap on the dimmed backdrop closes too
  });
  ["pointerdown", "keydown", "input"].forEach(function (type) {
    document.addEventListener(type, touch, { passive: true });
  });
  window.addEventListener("online", retryAllNow);

  // ---------------------------------------------------------------- kiosk mode
  // Keep the screen on where the browser allows it; the lock is dropped whenever the
  // tab is hidden, so take it again when the kiosk is visible.
  var wakeLock = null;
  var wakePending = false;
  function keepAwake() {
    if (wakeLock || wakePending || document.hidden) return;
    if (!navigator.wakeLock || typeof navigator.wakeLock.request !== "function") {
      root.setAttribute("data-wake-lock", "unsupported");
      return;
    }
    wakePending = true;
    navigator.wakeLock.request("screen").then(function (lock) {
      wakePending = false;
      wakeLock = lock;
      root.setAttribute("data-wake-lock", "on");
      lock.addEventListener("release", function () {
        wakeLock = null;
        root.setAttribute("data-wake-lock", "off");
      });
    }, function () {
      wakePending = false;
      root.setAttribute("data-wake-lock", "denied"); // tried again on the next tap or return to the tab
    });
  }
  document.addEventListener("visibilitychange", function () { if (!document.hidden) keepAwake(); });
  document.addEventListener("pointerdown", keepAwake, { passive: true });

  // An on-screen keyboard takes half the screen: while a field has focus and the visible
  // area is low, drop the welcome text and keep the field and "Check in" in view.
  var vv = window.visualViewport || null;
  function visibleHeight() { return vv ? vv.height : window.innerHeight; }
  function fitForKeyboard() {
    var focused = document.activeElement;
    var typing = !!(focused && focused.tagName === "INPUT" && form.contains(focused)) && state.screen === "welcome";
    var compact = typing && visibleHeight() < COMPACT_BELOW_PX;
    if ((root.getAttribute("data-compact") === "true") !== compact) {
      if (compact) root.setAttribute("data-compact", "true");
      else root.removeAttribute("data-compact");
    }
    root.style.setProperty("--visible-height", Math.round(visibleHeight()) + "px");
    if (!typing) return;
    // The field itself in view; then, if there is room, "Check in" too.
    var submit = $("checkin-button");
    var top = focused.getBoundingClientRect().top - (vv ? vv.offsetTop : 0);
    var bottom = submit.getBoundingClientRect().bottom - (vv ? vv.offsetTop : 0);
    var label = focused.closest(".field");
    var fieldTop = label ? label.getBoundingClientRect().top - (vv ? vv.offsetTop : 0) : top;
    var room = visibleHeight();
    var delta = 0;
    if (bottom - fieldTop <= room - 16) {
      if (bottom > room - 8) delta = bottom - room + 8;
      else if (fieldTop < 8) delta = fieldTop - 8;
    } else if (fieldTop < 8 || fieldTop > room / 3) {
      delta = fieldTop - 8;
    }
    if (delta) window.scrollBy(0, delta);
  }
  var fitTimer = null;
  function fitSoon() {
    if (fitTimer) clearTimeout(fitTimer);
    fitTimer = setTimeout(function () { fitTimer = null; fitForKeyboard(); }, 60);
  }
  form.addEventListener("focusin", fitSoon);
  form.addEventListener("focusout", fitSoon);
  if (vv) vv.addEventListener("resize", fitSoon);
  window.addEventListener("resize", fitSoon);

  restorePending();
  if (state.current) showScreen("confirm");
  else showScreen("welcome");
  applyLanguage();
  var reveal = function () { root.removeAttribute("aria-busy"); };
  setTimeout(reveal, 2500); // never keep the screen blank if the string files are slow
  loadStrings().then(function () {
    applyLanguage();
    reveal();
  });
  Object.keys(pending).forEach(function (id) { send(pending[id]); });
  connectSocket();
  keepAwake();
  setInterval(tick, POLL_MS);
})();
