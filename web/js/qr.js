// A QR code as an SVG element, drawn from the qrcode-generator package (npm, served by the
// binary under /vendor/qrcode-generator/). One path of squares: no HTML strings, no canvas,
// so it prints sharply and the CSP needs nothing more.

import qrcode from '/vendor/qrcode-generator/qrcode.mjs';

const SVG = 'http://www.w3.org/2000/svg';

/** An <svg> QR code for `text` (a URL), `label` read out to screen readers. */
export function qrSvg(text, label) {
  // Level M: a printed sheet that gets folded or creased still reads.
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  const quiet = 4; // the white margin readers need
  let d = '';
  for (let row = 0; row < n; row += 1) {
    for (let col = 0; col < n; col += 1) {
      if (qr.isDark(row, col)) d += `M${col + quiet} ${row + quiet}h1v1h-1z`;
    }
  }
  const size = n + quiet * 2;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('class', 'qr-code');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('shape-rendering', 'crispEdges');
  const background = document.createElementNS(SVG, 'rect');
  background.setAttribute('width', String(size));
  background.setAttribute('height', String(size));
  background.setAttribute('fill', '#fff');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000');
  svg.append(background, path);
  return svg;
}
