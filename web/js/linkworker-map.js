// The link worker's map: the public map's base layers and controls (map.js), where every
// tap sets the client's point — even on a marker, since results are drawn as numbers that
// take no taps — plus the client's pin and radius circle.
//
// The client's point lives only in this page's memory: never in the URL, never in storage.

import { PlaceMap } from './map.js';
import { h, safeColour } from './dom.js';
import { formatDistance } from './i18n.js';
import { categoryOf } from './place-view.js';

const L = globalThis.L;

export { mapAvailable } from './map.js';

/** A round marker holding its number; the number is written as text. */
const NumberIcon = L?.DivIcon.extend({
  createIcon(oldIcon) {
    const div = L.DivIcon.prototype.createIcon.call(this, oldIcon);
    div.replaceChildren(h('span', { class: 'number-marker-label' }, this.options.label ?? ''));
    const colour = safeColour(this.options.colour);
    if (colour) div.style.setProperty('--cat-color', colour);
    return div;
  },
});

/** The client's pin: a teardrop whose tip is the point (drawn by an inner element, because
 * Leaflet positions the icon itself with a transform). */
const ClientPinIcon = L?.DivIcon.extend({
  createIcon(oldIcon) {
    const div = L.DivIcon.prototype.createIcon.call(this, oldIcon);
    div.replaceChildren(h('span', { class: 'client-pin-shape' }));
    return div;
  },
});

export function numberIcon(label, { picked = false, colour = null } = {}) {
  return new NumberIcon({
    html: '',
    label,
    colour,
    className: `number-marker${picked ? ' number-marker-picked' : ''}`,
    iconSize: picked ? [34, 34] : [26, 26],
  });
}

export class LinkworkerMap extends PlaceMap {
  /** `handlers.onPoint([lon, lat])`: a tap on the map. */
  constructor(container, config, view, handlers) {
    super(container, config, view, handlers);
    this.resultLayer = L.layerGroup().addTo(this.map);
    this.map.on('click', (event) => handlers.onPoint?.([event.latlng.lng, event.latlng.lat]));
  }

  /** The client's pin, labelled, with the radius circle; null clears them. */
  showClient(point, radius, label, { fit = false } = {}) {
    this.showNear(point, radius, { fit });
    if (!point) return;
    const pin = L.marker([point[1], point[0]], {
      icon: new ClientPinIcon({ html: '', className: 'client-pin', iconSize: [28, 38], iconAnchor: [14, 33] }),
      interactive: false,
      keyboard: false,
      zIndexOffset: 1000,
    });
    pin.bindTooltip(h('span', {}, label, h('br'), `半径 ${formatDistance(radius)}`),
      { permanent: true, direction: 'top', offset: [0, -34], className: 'client-pin-label' });
    this.nearLayer.addLayer(pin);
  }

  /**
   * The results as markers that take no taps: picked places with their number in the
   * shortlist, others as small dots.
   */
  showResults(features, pickedIds) {
    this.resultLayer.clearLayers();
    for (const feature of features) {
      const [lon, lat] = feature.geometry?.coordinates ?? [];
      if (!Number.isFinite(lat) || !Number.isFinite(lon)) continue;
      const index = pickedIds.indexOf(feature.id);
      const picked = index >= 0;
      L.marker([lat, lon], {
        icon: numberIcon(picked ? String(index + 1) : '', { picked, colour: categoryOf(feature)?.color }),
        interactive: false,
        keyboard: false,
        // Picked places stay readable over the client's pin.
        zIndexOffset: picked ? 2000 : 0,
      }).addTo(this.resultLayer);
    }
  }
}
