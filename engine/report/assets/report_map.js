// parksim report maps: builds a Leaflet map for every <script type="application/json" class="parksim-map"> element
// of the page, from data the engine wrote into it (engine/report/detail/map.cpp says what the data holds).
//
// Coordinates are metres of the run's working CRS relative to the map's `origin`, drawn with Leaflet's CRS.Simple
// (one unit = one metre, north up), so rasters and vectors line up exactly and the scale bar reads in metres. There
// are no tiles and nothing is fetched: images are data: URIs. Texts from the run are set with textContent only.
(function () {
  'use strict';

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function latlng(flat) {
    var out = [];
    for (var i = 0; i + 1 < flat.length; i += 2) out.push([flat[i + 1], flat[i]]);
    return out;
  }

  function bounds(b) { return L.latLngBounds([b[1], b[0]], [b[3], b[2]]); }

  // A popup of [label, value] rows, built as DOM (never HTML from data).
  function popup(title, rows) {
    var box = el('div', 'parksim-popup');
    if (title) box.appendChild(el('strong', null, title));
    var table = el('table');
    for (var i = 0; i < rows.length; i++) {
      var tr = el('tr');
      tr.appendChild(el('th', null, rows[i][0]));
      tr.appendChild(el('td', null, rows[i][1]));
      table.appendChild(tr);
    }
    box.appendChild(table);
    return box;
  }

  function style(layer, feature) {
    var s = {
      color: feature.stroke || layer.stroke || '#333333', weight: layer.weight === undefined ? 1 : layer.weight,
      opacity: layer.opacity === undefined ? 1 : layer.opacity, dashArray: layer.dash || null,
      fill: !layer.no_fill && (layer.type === 'polygons' || layer.type === 'points'), fillColor: feature.f || layer.fill || '#999999',
      fillOpacity: layer.fill_opacity === undefined ? 0.6 : layer.fill_opacity, pane: layer.pane || 'overlayPane'
    };
    if (layer.type === 'points') s.radius = layer.radius || 6;
    return s;
  }

  function vectorLayer(layer) {
    var group = L.featureGroup();
    for (var i = 0; i < layer.features.length; i++) {
      var f = layer.features[i], shape;
      if (layer.type === 'polygons') {
        shape = L.polygon(f.g.map(function (polygon) { return polygon.map(latlng); }), style(layer, f));
      } else if (layer.type === 'lines') {
        shape = L.polyline(f.g.map(latlng), style(layer, f));
      } else {
        shape = L.circleMarker([f.g[1], f.g[0]], style(layer, f));
      }
      if (f.info) shape.bindPopup(popup(f.title, f.info), {maxWidth: 320});
      if (f.label) {
        shape.bindTooltip(f.label, layer.labels_permanent
          ? {permanent: true, direction: 'center', className: 'parksim-label'}
          : {direction: 'top', className: 'parksim-tip'});
      }
      group.addLayer(shape);
    }
    return group;
  }

  function imageLayer(layer) {
    var frame = layer.frame === undefined ? layer.frames.length - 1 : layer.frame;
    var image = L.imageOverlay(layer.frames[frame].url, bounds(layer.bounds), {
      pane: layer.pane || 'overlayPane', opacity: layer.opacity === undefined ? 1 : layer.opacity,
      className: 'parksim-raster', interactive: false
    });
    image.parksimFrame = frame;
    return image;
  }

  // The year slider of an image layer with several frames: an <input type=range> and an <output> the page holds
  // (data-parksim-slider = "<container>:<layer id>"). Moving it shows that frame, and the layer if it was off.
  function wireSlider(map, spec, layer, image) {
    var box = document.querySelector('[data-parksim-slider="' + spec.container + ':' + layer.id + '"]');
    if (!box || layer.frames.length < 2) return;
    var input = box.querySelector('input'), label = box.querySelector('output');
    input.min = 0;
    input.max = layer.frames.length - 1;
    input.value = image.parksimFrame;
    label.textContent = layer.frames[image.parksimFrame].label;
    input.addEventListener('input', function () {
      var i = parseInt(input.value, 10);
      image.setUrl(layer.frames[i].url);
      image.parksimFrame = i;
      label.textContent = layer.frames[i].label;
      if (!map.hasLayer(image)) map.addLayer(image);
    });
  }

  var ViewControl = L.Control.extend({
    options: {position: 'topleft'},
    initialize: function (views, options) { this._views = views; L.setOptions(this, options); },
    onAdd: function (map) {
      var bar = el('div', 'leaflet-bar parksim-views');
      this._views.forEach(function (view) {
        var a = el('a', 'parksim-view', view.label);
        a.href = '#';
        a.setAttribute('role', 'button');
        a.setAttribute('data-view', view.id);
        a.title = view.title || view.label;
        L.DomEvent.on(a, 'click', function (e) {
          L.DomEvent.preventDefault(e);
          map.fitBounds(bounds(view.bounds), {padding: [8, 8]});
        });
        bar.appendChild(a);
      });
      L.DomEvent.disableClickPropagation(bar);
      return bar;
    }
  });

  var maps = [];

  function build(spec) {
    var container = document.getElementById(spec.container);
    if (!container) return;
    var map = L.map(container, {
      crs: L.CRS.Simple, zoomSnap: 0.25, zoomDelta: 0.5, wheelPxPerZoomLevel: 120, attributionControl: true,
      maxZoom: spec.max_zoom === undefined ? 3 : spec.max_zoom, minZoom: -12
    });
    map.attributionControl.setPrefix('Leaflet');
    if (spec.attribution) map.attributionControl.addAttribution(spec.attribution);
    (spec.panes || []).forEach(function (p) { map.createPane(p.name).style.zIndex = p.z; });
    var overlays = {};
    spec.layers.forEach(function (layer) {
      var made = layer.type === 'image' ? imageLayer(layer) : vectorLayer(layer);
      overlays[layer.title] = made;
      if (layer.visible) made.addTo(map);
      if (layer.type === 'image') wireSlider(map, spec, layer, made);
    });
    var first = spec.views[0];
    map.fitBounds(bounds(first.bounds), {padding: [8, 8], animate: false});
    // Never farther out than the whole study area (with a margin): a map of nothing helps nobody.
    var widest = spec.views[spec.views.length - 1];
    map.setMinZoom(Math.floor(map.getBoundsZoom(bounds(widest.bounds)) * 4) / 4 - 0.5);
    if (spec.views.length > 1) new ViewControl(spec.views).addTo(map);
    L.control.scale({imperial: false, metric: true}).addTo(map);
    if (spec.layers.length > 0) {
      L.control.layers(null, overlays, {collapsed: container.clientWidth < 600, position: 'topright'}).addTo(map);
    }
    container.parksimMap = map;
    maps.push({map: map, group: spec.group || null});
  }

  // Maps of one group (the comparison's side-by-side maps) move together.
  function synchronise() {
    var busy = false;
    maps.forEach(function (a) {
      if (!a.group) return;
      a.map.on('move zoom', function () {
        if (busy) return;
        busy = true;
        maps.forEach(function (b) {
          if (b !== a && b.group === a.group) b.map.setView(a.map.getCenter(), a.map.getZoom(), {animate: false});
        });
        busy = false;
      });
    });
  }

  function start() {
    var specs = document.querySelectorAll('script.parksim-map');
    for (var i = 0; i < specs.length; i++) build(JSON.parse(specs[i].textContent));
    synchronise();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
