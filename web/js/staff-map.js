// The staff's map: the public map (map.js) with every status drawn, plus the point being
// added or edited — a marker that can be dragged, kept in step with the form's 緯度・経度.

import { PlaceMap } from './map.js';
import { h } from './dom.js';

const L = globalThis.L;

export { mapAvailable } from './map.js';

export class StaffMap extends PlaceMap {
  /** Shows the point being edited ([lon, lat]) or hides it (null). `onMove([lon, lat])` after a drag. */
  showEditPoint(point, { onMove, pan = false } = {}) {
    if (!point) {
      if (this.editMarker) this.map.removeLayer(this.editMarker);
      this.editMarker = null;
      return;
    }
    const latlng = [point[1], point[0]];
    if (!this.editMarker) {
      this.editMarker = L.marker(latlng, {
        icon: L.divIcon({ html: '', className: 'edit-marker', iconSize: [40, 40], iconAnchor: [20, 40] }),
        draggable: true,
        autoPan: true,
        keyboard: false, // the form's 緯度・経度 fields are the keyboard's way to move it
        zIndexOffset: 2000,
        title: '追加・編集中の地点（ドラッグで動かせます）',
      }).addTo(this.map);
      this.editMarker.on('dragend', () => {
        const { lat, lng } = this.editMarker.getLatLng();
        this.editMoved?.([Number(lng.toFixed(6)), Number(lat.toFixed(6))]);
      });
    } else {
      this.editMarker.setLatLng(latlng);
    }
    this.editMoved = onMove;
    if (pan) this.map.setView(latlng, Math.max(this.map.getZoom(), 16), { animate: false });
  }

  /** Circles at the towns of 「歩く候補」 ([{name, koaza, point}]); an empty list removes them. */
  showGaps(towns) {
    this.gapLayer?.remove();
    this.gapLayer = null;
    if (!towns.length) return;
    this.gapLayer = L.layerGroup(towns.map((town) => L.circleMarker([town.point[1], town.point[0]], {
      radius: 9, color: '#0b3d91', weight: 3, fillColor: '#5b8def', fillOpacity: 0.35, className: 'gap-marker',
    }).bindTooltip(h('span', {}, town.koaza ? `${town.name}（${town.koaza}）` : town.name)))).addTo(this.map);
  }

  /** Centres the map on a point ([lon, lat]) at street level. */
  showPoint(point) {
    this.map.setView([point[1], point[0]], Math.max(this.map.getZoom(), 16));
  }
}
