// The Leaflet map: base layers from /api/map-config, clustered markers, the chosen place's
// popup, the "near" circle and the tap-to-choose-a-point mode.
//
// Leaflet and Leaflet.markercluster are classic scripts served by the binary from npm's
// packages (index.html loads them before this module); they define the global `L`.

import { h, replaceChildren, safeColour, webHref } from './dom.js';
import { t } from './i18n.js';
import { categoryOf, latLonOf, placePopup, placeTooltip } from './place-view.js';

const L = globalThis.L;

/** Tiles that must fail, with none loading, before we tell the resident the map images are out. */
const TILE_FAILURES_BEFORE_NOTICE = 3;

/** A round marker in the category's colour (one icon object per category, many markers). */
const PlaceIcon = L?.DivIcon.extend({
  createIcon(oldIcon) {
    const div = L.DivIcon.prototype.createIcon.call(this, oldIcon);
    div.replaceChildren(h('span', { class: 'place-marker-dot' }));
    const colour = safeColour(this.options.colour);
    if (colour) div.style.setProperty('--cat-color', colour);
    return div;
  },
});

/** A cluster: a big dark circle with the number of places, readable at a glance. */
const ClusterIcon = L?.DivIcon.extend({
  createIcon(oldIcon) {
    const div = L.DivIcon.prototype.createIcon.call(this, oldIcon);
    div.replaceChildren(h('span', { class: 'cluster-count' }, String(this.options.count)));
    div.setAttribute('aria-label', t('map.cluster.aria', { n: this.options.count }));
    return div;
  },
});

function clusterIcon(cluster) {
  const count = cluster.getChildCount();
  const size = count < 10 ? 'small' : count < 100 ? 'medium' : 'large';
  const px = { small: 44, medium: 52, large: 60 }[size];
  return new ClusterIcon({
    html: '',
    count,
    className: `place-cluster place-cluster-${size}`,
    iconSize: [px, px],
  });
}

/** Our own attribution control, built with textContent (Leaflet's takes HTML). */
const AttributionControl = L?.Control.extend({
  options: { position: 'bottomright' },
  onAdd() {
    this._container = h('div', { class: 'leaflet-control-attribution map-attribution' });
    L.DomEvent.disableClickPropagation(this._container);
    this.update(this._layer);
    return this._container;
  },
  update(layer) {
    this._layer = layer;
    if (!this._container) return;
    const parts = [];
    if (layer) {
      const href = webHref(layer.attribution_url);
      const label = layer.attribution || layer.name;
      parts.push(href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, label) : label);
    }
    parts.push(' | ', h('a', { href: 'https://leafletjs.com', target: '_blank', rel: 'noopener noreferrer' }, 'Leaflet'));
    replaceChildren(this._container, ...parts);
  },
});

/**
 * Leaflet's layer switcher puts each layer's name into the page with innerHTML. The names come
 * from the server's configuration, so they are treated as untrusted: Leaflet gets a fixed
 * placeholder, and the real name is then set as text.
 */
const TextLayersControl = L?.Control.Layers.extend({
  _addItem(obj) {
    const label = L.Control.Layers.prototype._addItem.call(this, { ...obj, name: '' });
    const name = label.querySelector('span > span');
    if (name) name.textContent = ` ${obj.layer.tsunagariName ?? ''}`;
    return label;
  },
});

export function mapAvailable() {
  return Boolean(L && L.markerClusterGroup);
}

export class PlaceMap {
  /**
   * `handlers`: onViewChange({lat, lon, zoom}, {auto}) (auto: only a popup's auto-pan),
   * onMarkerClick(id), onPick([lon, lat]),
   * onTiles(ok: boolean), onPopupMore(id).
   */
  constructor(container, config, view, handlers) {
    this.handlers = handlers;
    this.markers = new Map(); // id → L.Marker
    this.icons = new Map(); // category code (+ ":selected") → icon
    this.selectedId = null;
    this.picking = false;

    this.map = L.map(container, {
      center: [view.lat, view.lon],
      zoom: view.zoom,
      minZoom: 5,
      maxZoom: 18,
      attributionControl: false,
      zoomControl: false,
      keyboard: true,
      tapTolerance: 20,
    });
    this.zoomControl = L.control.zoom({ position: 'topright' }).addTo(this.map);
    this.attribution = new AttributionControl();
    this.attribution.addTo(this.map);
    this.setUpBaseLayers(config?.tile_layers ?? []);

    this.clusters = L.markerClusterGroup({
      chunkedLoading: true,
      chunkInterval: 100,
      chunkDelay: 20,
      maxClusterRadius: 50,
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true, // places in the same hall fan out at the last zoom
      iconCreateFunction: clusterIcon,
      chunkProgress: (done, total) => {
        if (done < total) return;
        // markercluster draws the clusters right after this call: run what waited after it.
        setTimeout(() => {
          this.chunking = false;
          for (const fn of this.afterLoad.splice(0)) fn();
        }, 0);
      },
    });
    this.chunking = false;
    this.afterLoad = [];
    this.map.addLayer(this.clusters);

    this.nearLayer = L.layerGroup().addTo(this.map);
    this.popup = L.popup({
      maxWidth: 320,
      minWidth: 220,
      offset: [0, -14],
      autoPanPadding: [20, 20],
      closeButton: true,
    });

    // A move that only made room for a popup (Leaflet fires `autopanstart` before it pans).
    this.autoPanning = false;
    this.map.on('autopanstart', () => {
      this.autoPanning = true;
    });
    this.map.on('moveend', () => {
      const auto = this.autoPanning;
      this.autoPanning = false;
      this.handlers.onViewChange?.(this.view(), { auto });
    });
    this.map.on('popupopen', () => this.labelControls());
    this.labelControls();
    this.map.on('click', (event) => {
      if (!this.picking) return;
      this.setPicking(false);
      this.handlers.onPick?.([event.latlng.lng, event.latlng.lat]);
    });
  }

  setUpBaseLayers(layers) {
    const baseLayers = {};
    this.tileStatus = new Map();
    let first = null;
    for (const config of layers) {
      if (typeof config?.url !== 'string') continue;
      const layer = L.tileLayer(config.url, {
        maxZoom: 18,
        maxNativeZoom: 18,
        crossOrigin: false,
      });
      layer.tsunagariConfig = config;
      layer.tsunagariName = typeof config.name === 'string' ? config.name : config.url;
      this.watchTiles(layer);
      // The key is ours (see TextLayersControl); the name is set as text.
      baseLayers[`layer-${Object.keys(baseLayers).length + 1}`] = layer;
      first ??= layer;
    }
    if (first) {
      first.addTo(this.map);
      this.attribution.update(first.tsunagariConfig);
    }
    if (Object.keys(baseLayers).length > 1) {
      this.layersControl = new TextLayersControl(baseLayers, {}, { position: 'topright', collapsed: true });
      this.layersControl.addTo(this.map);
    }
    this.map.on('baselayerchange', (event) => {
      this.attribution.update(event.layer.tsunagariConfig);
      this.reportTiles(event.layer);
    });
  }

  /** Tells the page when the base map cannot load (tiles fail and none succeed) and when it recovers. */
  watchTiles(layer) {
    const status = { loaded: 0, failed: 0 };
    this.tileStatus.set(layer, status);
    layer.on('tileload', () => {
      status.loaded += 1;
      if (this.map.hasLayer(layer)) this.reportTiles(layer);
    });
    layer.on('tileerror', () => {
      status.failed += 1;
      if (this.map.hasLayer(layer)) this.reportTiles(layer);
    });
  }

  reportTiles(layer) {
    const status = this.tileStatus.get(layer);
    if (!status) return;
    const ok = status.loaded > 0 || status.failed < TILE_FAILURES_BEFORE_NOTICE;
    if (ok !== this.tilesOk) {
      this.tilesOk = ok;
      this.handlers.onTiles?.(ok);
    }
  }

  /** Leaflet's own controls, labelled in the page's language. */
  labelControls() {
    const container = this.map.getContainer();
    const label = (selector, key) => {
      for (const el of container.querySelectorAll(selector)) {
        el.setAttribute('title', t(key));
        el.setAttribute('aria-label', t(key));
      }
    };
    label('.leaflet-control-zoom-in', 'map.zoom.in');
    label('.leaflet-control-zoom-out', 'map.zoom.out');
    label('.leaflet-control-layers-toggle', 'map.layers');
    label('.leaflet-popup-close-button', 'error.close');
  }

  /** Labels that depend on the language (the places' own texts do not). */
  relabel() {
    this.labelControls();
    this.clusters.refreshClusters();
    if (this.popup.isOpen() && this.popupFeature) this.openPopup(this.popupFeature);
  }

  view() {
    const centre = this.map.getCenter();
    return { lat: centre.lat, lon: centre.lng, zoom: this.map.getZoom() };
  }

  setView(view) {
    this.map.setView([view.lat, view.lon], view.zoom, { animate: false });
  }

  /** The visible area as [minLon, minLat, maxLon, maxLat], grown by `pad` (0.25 = a quarter each side). */
  bbox(pad = 0) {
    let bounds = this.map.getBounds();
    if (pad) bounds = bounds.pad(pad);
    // Rounded as the API request is, so the list counts exactly what `bbox=` would answer.
    const clamp = (v, lo, hi) => Number(Math.min(hi, Math.max(lo, v)).toFixed(6));
    return [
      clamp(bounds.getWest(), -180, 180),
      clamp(bounds.getSouth(), -90, 90),
      clamp(bounds.getEast(), -180, 180),
      clamp(bounds.getNorth(), -90, 90),
    ];
  }

  iconFor(feature, selected) {
    const category = categoryOf(feature);
    const code = category?.code ?? '';
    // Staff see drafts and archived places too, drawn apart (residents see only published).
    const status = ['draft', 'archived'].includes(feature.properties?.status) ? feature.properties.status : '';
    const key = `${code}${selected ? ':selected' : ''}${status ? `:${status}` : ''}`;
    let icon = this.icons.get(key);
    if (!icon) {
      const size = selected ? 52 : 44;
      const classes = ['place-marker', selected ? 'place-marker-selected' : '', status ? `place-marker-${status}` : ''];
      icon = new PlaceIcon({
        html: '',
        colour: category?.color,
        className: classes.filter(Boolean).join(' '),
        iconSize: [size, size],
      });
      this.icons.set(key, icon);
    }
    return icon;
  }

  makeMarker(feature) {
    const [lat, lon] = latLonOf(feature);
    const selected = feature.id === this.selectedId;
    const marker = L.marker([lat, lon], {
      icon: this.iconFor(feature, selected),
      keyboard: false, // the list is the keyboard's way to every place; 5,000 tab stops would not be
      riseOnHover: true,
      zIndexOffset: selected ? 1000 : 0,
    });
    marker.placeFeature = feature;
    marker.bindTooltip(() => placeTooltip(marker.placeFeature), { direction: 'top', offset: [0, -18] });
    marker.on('click', () => this.handlers.onMarkerClick?.(marker.placeFeature.id));
    return marker;
  }

  /** Shows exactly these places (markers are kept, added and removed by id: no flicker). */
  setPlaces(features) {
    const wanted = new Map();
    for (const feature of features) {
      if (feature?.id && Array.isArray(feature.geometry?.coordinates)) wanted.set(feature.id, feature);
    }
    const remove = [];
    for (const [id, marker] of this.markers) {
      if (!wanted.has(id)) {
        remove.push(marker);
        this.markers.delete(id);
      } else {
        marker.placeFeature = wanted.get(id); // fresher data (e.g. distance_m)
      }
    }
    const add = [];
    for (const [id, feature] of wanted) {
      if (!this.markers.has(id)) {
        const marker = this.makeMarker(feature);
        this.markers.set(id, marker);
        add.push(marker);
      }
    }
    if (remove.length) this.clusters.removeLayers(remove);
    if (add.length) {
      this.chunking = true;
      this.clusters.addLayers(add);
    }
    if (this.popupFeature && !wanted.has(this.popupFeature.id)) this.closePopup();
  }

  /**
   * Marks the chosen place (or none). `open` opens its popup (the map pans to it, but keeps
   * its zoom, so that the list — the places in view — stays as the resident left it);
   * `reveal` also zooms in until its marker stands out of any cluster.
   */
  select(feature, { open = false, reveal = false } = {}) {
    const previous = this.selectedId ? this.markers.get(this.selectedId) : null;
    if (previous && this.selectedId !== feature?.id) {
      previous.setIcon(this.iconFor(previous.placeFeature, false));
      previous.setZIndexOffset(0);
    }
    this.selectedId = feature?.id ?? null;
    if (!feature) {
      this.closePopup();
      return;
    }
    const marker = this.markers.get(feature.id);
    if (marker) {
      marker.setIcon(this.iconFor(feature, true));
      marker.setZIndexOffset(1000);
    }
    if (!open && !reveal) return;
    this.whenLoaded(() => {
      if (this.selectedId !== feature.id) return;
      if (reveal && marker && (marker.__parent || marker._icon)) {
        this.clusters.zoomToShowLayer(marker, () => this.openPopup(feature));
      } else {
        this.openPopup(feature);
      }
    });
  }

  /** Runs `fn` once the markers being added (in chunks, for thousands) are all on the map. */
  whenLoaded(fn) {
    if (this.chunking) this.afterLoad.push(fn);
    else fn();
  }

  openPopup(feature) {
    this.popupFeature = feature;
    const [lat, lon] = latLonOf(feature);
    this.fitPopupToMap();
    this.popup
      .setLatLng([lat, lon])
      .setContent(placePopup(feature, { onMore: () => this.handlers.onPopupMore?.(feature.id) }))
      .openOn(this.map);
  }

  /**
   * Sizes the popup to the map as it is now (a 360 px phone, large text) and keeps it clear
   * of the controls in the top right corner: the map pans so that the popup's top — and its
   * close button — is below them, and the popup scrolls rather than run off the map.
   */
  fitPopupToMap() {
    const size = this.map.getSize();
    const container = this.map.getContainer().getBoundingClientRect();
    let controlsBottom = 0;
    for (const control of this.map.getContainer().querySelectorAll('.leaflet-top.leaflet-right .leaflet-control')) {
      controlsBottom = Math.max(controlsBottom, control.getBoundingClientRect().bottom - container.top);
    }
    let attribution = 0;
    for (const control of this.map.getContainer().querySelectorAll('.leaflet-bottom .leaflet-control')) {
      attribution = Math.max(attribution, container.bottom - control.getBoundingClientRect().top);
    }
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 18;
    const margin = 8;
    const top = Math.ceil(controlsBottom) + margin;
    const bottom = Math.ceil(attribution) + margin;
    const options = this.popup.options;
    options.autoPanPaddingTopLeft = L.point(margin, top);
    options.autoPanPaddingBottomRight = L.point(margin, bottom);
    // Content width + its margins (1rem each side, see app.css) + the wrapper's border.
    options.maxWidth = Math.max(160, Math.min(320, size.x - 2 * margin - 2 * rem - 4));
    options.minWidth = Math.min(220, options.maxWidth);
    // Height left for the content: the map minus the paddings, the tip (≈ 20 px), the
    // offset above the marker and the content's own margins.
    options.maxHeight = Math.max(120, size.y - top - bottom - 20 - 14 - 2 * rem);
  }

  closePopup() {
    this.popupFeature = null;
    if (this.popup.isOpen()) this.map.closePopup(this.popup);
  }

  centreOn(feature, zoom) {
    const [lat, lon] = latLonOf(feature);
    this.map.setView([lat, lon], zoom ?? Math.max(this.map.getZoom(), 15), { animate: false });
  }

  /** Zooms so that all these features are in view. */
  fitFeatures(features) {
    const points = features.map(latLonOf).filter(([lat, lon]) => Number.isFinite(lat) && Number.isFinite(lon));
    if (points.length === 0) return;
    this.map.fitBounds(L.latLngBounds(points), { padding: [40, 40], maxZoom: 16, animate: false });
  }

  /** Draws the "near" circle around [lon, lat]; `fit` zooms to it. Null clears it. */
  showNear(point, radius, { fit = false } = {}) {
    this.nearLayer.clearLayers();
    if (!point) return;
    const latlng = [point[1], point[0]];
    const circle = L.circle(latlng, {
      radius,
      color: '#0b3d91',
      weight: 3,
      fillColor: '#0b3d91',
      fillOpacity: 0.06,
      interactive: false,
    });
    this.nearLayer.addLayer(circle);
    this.nearLayer.addLayer(L.circleMarker(latlng, {
      radius: 9,
      color: '#ffffff',
      weight: 3,
      fillColor: '#0b3d91',
      fillOpacity: 1,
      interactive: false,
    }));
    if (fit) this.map.fitBounds(circle.getBounds(), { padding: [20, 20], animate: false });
  }

  /** In "picking" mode the next tap on the map chooses the point for "near". */
  setPicking(on) {
    this.picking = on;
    this.map.getContainer().classList.toggle('picking', on);
  }

  centrePoint() {
    const centre = this.map.getCenter();
    return [centre.lng, centre.lat];
  }

  /** After the map's size or the text size changed: the open popup is sized again. */
  invalidateSize() {
    this.map.invalidateSize();
    if (this.popup.isOpen() && this.popupFeature) this.openPopup(this.popupFeature);
  }
}
