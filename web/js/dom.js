// Building DOM safely. Place data reaches the page only through these helpers, which use
// textContent and setAttribute — never innerHTML — so a name like `<img src=x onerror=…>`
// shows as those characters and nothing runs.

/**
 * Creates an element. `attrs` keys are attribute names chosen by our code (`class`, `href`,
 * `aria-label`, …); values are set with setAttribute (`null`/`undefined`/`false` skip it).
 * `children` are nodes or strings (strings become text nodes).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (/^on/i.test(name) || name === 'style' || name === 'srcdoc') {
      throw new Error(`h(): refusing to set attribute ${name}`);
    }
    el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === '') continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces all children of `el`. */
export function replaceChildren(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/** A colour from the API, if it is a plain #rrggbb (anything else is ignored). */
export function safeColour(colour) {
  return typeof colour === 'string' && /^#[0-9a-fA-F]{6}$/.test(colour) ? colour : null;
}

/** Sets the category colour custom property (CSSOM, which the CSP allows; no style attribute). */
export function setCategoryColour(el, colour) {
  const safe = safeColour(colour);
  if (safe) el.style.setProperty('--cat-color', safe);
}

/**
 * `tel:` URI built from the digits of a phone number (and a leading +), or null when the
 * number holds anything but digits, spaces, dashes and brackets (full-width forms count):
 * a wrong number is worse than none.
 */
export function telHref(phone) {
  if (typeof phone !== 'string') return null;
  const plain = phone.normalize('NFKC').trim().replace(/[‐‑–—−ー]/g, '-');
  if (!/^\+?[0-9()\- ]+$/.test(plain)) return null;
  const digits = plain.replace(/[^0-9]/g, '');
  if (digits.length < 5 || digits.length > 15) return null;
  return `tel:${plain.startsWith('+') ? '+' : ''}${digits}`;
}

/** The URL if it is an absolute http(s) URL, else null (`javascript:`, `data:` … are refused). */
export function webHref(url) {
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url.trim())) return null;
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** `mailto:` URI for a plain e-mail address, or null. */
export function mailHref(email) {
  if (typeof email !== 'string') return null;
  const address = email.trim();
  return /^[^\s@<>()"'`,;:\\[\]]+@[^\s@<>()"'`,;:\\[\]]+\.[^\s@<>()"'`,;:\\[\]]+$/.test(address)
    ? `mailto:${address}`
    : null;
}

/**
 * A directions link that opens the phone's map app: Google Maps' universal "dir" URL opens
 * the Google Maps app on Android and on iPhones that have it, and the web map otherwise.
 * (A `geo:` URI would do nothing in an iPhone's Safari, and iPhones are about half the
 * phones in Japan.)
 */
export function directionsHref(lat, lon) {
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  return `https://www.google.com/maps/dir/?api=1&destination=${lat.toFixed(6)},${lon.toFixed(6)}`;
}
