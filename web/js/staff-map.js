// The staff's map: the public map (map.js) with every status drawn, plus the point being
// added or edited — a marker that can be dragged, kept in step with the form's 緯度・経度.

import { PlaceMap } from './map.js';
import { h } from './dom.js';

const L = globalThis.L;

export { mapAvailable } from './map.js';

// Walks are lines, a タネ is a leaf-shaped marker (never a round place marker: a タネ is not
// a place anyone can visit yet), and the route being recorded or drawn is a dashed red line.
const WALK_STYLE = { color: '#6a1b9a', weight: 5, opacity: 0.75, className: 'walk-line' };
const WALK_FOCUS_STYLE = { color: '#6a1b9a', weight: 8, opacity: 1, className: 'walk-line walk-line-focus' };
const LIVE_STYLE = { color: '#c4161c', weight: 5, dashArray: '8 8', className: 'walk-live-line', interactive: false };

/** [[lon, lat], …] or [[[lon, lat], …], …] as Leaflet's [lat, lon] rings. */
function latLngsOf(geometry) {
  if (geometry?.type === 'LineString') return [geometry.coordinates.map(([lon, lat]) => [lat, lon])];
  if (geometry?.type === 'MultiLineString') return geometry.coordinates.map((line) => line.map(([lon, lat]) => [lat, lon]));
  return [];
}

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

  // -------------------------------------------------------------- タネ and まち歩き

  taneIcon() {
    this.taneIconObject ??= L.divIcon({ html: '', className: 'tane-marker', iconSize: [34, 34], iconAnchor: [17, 30] });
    return this.taneIconObject;
  }

  /** タネ with a point as leaf markers (an empty list removes them); `onClick(id)`. */
  showTane(features, { onClick } = {}) {
    this.taneLayer?.remove();
    this.taneLayer = null;
    const markers = features.filter((f) => f.geometry?.type === 'Point').map((f) => {
      const [lon, lat] = f.geometry.coordinates;
      const text = String(f.properties?.text ?? f.text ?? '').replace(/\s+/g, ' ');
      const marker = L.marker([lat, lon], { icon: this.taneIcon(), keyboard: false, riseOnHover: true, zIndexOffset: 500 });
      marker.bindTooltip(() => h('span', {}, `タネ：${[...text].slice(0, 40).join('')}${[...text].length > 40 ? '…' : ''}`),
        { direction: 'top', offset: [0, -26] });
      marker.on('click', () => onClick?.(f.id));
      return marker;
    });
    if (markers.length) this.taneLayer = L.layerGroup(markers).addTo(this.map);
  }

  /**
   * Walks as lines (an empty list removes them). `focus` (an id) is drawn thicker and the map
   * fits it; `places` ([{id, name, status, category, geometry}], what was found on it) are
   * drawn with the places' own markers. `onClick(id)` for a line, `onPlace(id)` for a place.
   */
  showWalks(walks, { focus = null, places = [], onClick, onPlace } = {}) {
    this.walkLayer?.remove();
    this.walkLayer = null;
    if (!walks.length && !places.length) return;
    const layers = [];
    let focusBounds = null;
    for (const walk of walks) {
      const rings = latLngsOf(walk.geometry);
      if (!rings.length) continue;
      const line = L.polyline(rings, walk.id === focus ? WALK_FOCUS_STYLE : WALK_STYLE);
      const title = String(walk.properties?.title ?? '');
      line.bindTooltip(() => h('span', {}, `まち歩き：${title}`), { sticky: true });
      line.on('click', () => onClick?.(walk.id));
      if (walk.id === focus) focusBounds = line.getBounds();
      layers.push(line);
    }
    for (const place of places) {
      if (place.geometry?.type !== 'Point') continue;
      const feature = { id: place.id, geometry: place.geometry, properties: { name: place.name, status: place.status, category: place.category } };
      const [lon, lat] = place.geometry.coordinates;
      const marker = L.marker([lat, lon], { icon: this.iconFor(feature, false), keyboard: false, zIndexOffset: 400 });
      marker.bindTooltip(() => h('span', {}, String(place.name ?? '')), { direction: 'top', offset: [0, -18] });
      marker.on('click', () => onPlace?.(place.id));
      layers.push(marker);
    }
    this.walkLayer = L.layerGroup(layers).addTo(this.map);
    if (focusBounds?.isValid()) this.map.fitBounds(focusBounds, { padding: [30, 30], maxZoom: 17, animate: false });
  }

  /** The route being recorded or drawn ([[ [lon, lat], … ], …]); null removes it. */
  showLiveRoute(segments) {
    this.liveLayer?.remove();
    this.liveLayer = null;
    if (!segments) return;
    const rings = segments.filter((s) => s.length).map((s) => s.map(([lon, lat]) => [lat, lon]));
    if (!rings.length) return;
    const layers = [L.polyline(rings, LIVE_STYLE)];
    const last = rings.at(-1).at(-1);
    layers.push(L.circleMarker(last, { radius: 8, color: '#fff', weight: 3, fillColor: '#c4161c', fillOpacity: 1, interactive: false, className: 'walk-live-point' }));
    // While drawing, each point is a small dot, so that the user sees where the taps landed.
    if (this.drawing) {
      for (const point of rings.flat()) {
        layers.push(L.circleMarker(point, { radius: 5, color: '#c4161c', weight: 2, fillColor: '#fff', fillOpacity: 1, interactive: false, className: 'walk-draw-point' }));
      }
    }
    this.liveLayer = L.layerGroup(layers).addTo(this.map);
  }

  /** Drawing a route: each tap on the map adds a point, `onPoint([lon, lat])`. */
  setDrawing(onPoint) {
    this.drawing = Boolean(onPoint);
    this.map.getContainer().classList.toggle('picking', this.drawing);
    if (!this.drawClick) {
      this.drawClick = (event) => this.drawing && this.onDrawPoint?.([event.latlng.lng, event.latlng.lat]);
      this.map.on('click', this.drawClick);
    }
    this.onDrawPoint = onPoint;
  }
}
