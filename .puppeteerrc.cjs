/* pa11y's puppeteer drives Debian's Chromium (/usr/bin/chromium): it never downloads a browser of its own. */
module.exports = { skipDownload: true };
