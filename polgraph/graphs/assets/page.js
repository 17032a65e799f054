/* polgraph network page. Every piece of text from the graph reaches the page through
   textContent, option.value or the canvas, never as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("polgraph-data").textContent);
  var container = document.getElementById("network");
  var status = document.getElementById("status");
  var details = document.getElementById("details");
  var tip = document.getElementById("tooltip");
  var TIP_ITEMS = 3;
  var FULL_ITEMS = 50;

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null && text !== "") node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function add(parent, child) { if (child) parent.appendChild(child); return parent; }

  var hiddenTypes = {};
  var hiddenKinds = {};
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return !hiddenTypes[n.group]; } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return !hiddenKinds[e.kind]; } });
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });

  function setStatus(state, text) {
    status.dataset.state = state;
    status.dataset.nodes = String(nodes.length);
    status.dataset.edges = String(edges.length);
    status.dataset.visibleNodes = String(nodeView.length);
    status.textContent = nodes.length + " nodes, " + edges.length + " edges" +
      (nodeView.length !== nodes.length ? " (" + nodeView.length + " shown)" : "") +
      (text ? " · " + text : "");
  }

  /* -- descriptions (tooltip and details panel) ----------------------------------------- */
  function sourceLine(r) {
    var parts = [];
    if (r.headline) parts.push(r.headline);
    if (r.published) parts.push(r.published);
    if (r.article) parts.push("article " + r.article);
    if (r.curated) parts.push("curated");
    if (r.contradicted) parts.push("contradicted by a curated fact");
    return parts.length ? el("p", parts.join(" · "), "source") : null;
  }
  function quoteBlock(q) {
    var box = el("div");
    add(box, el("blockquote", "\u201c" + (q.text || "") + "\u201d", "quote"));
    var who = "\u2014 " + (q.speaker || "unattributed") + (q.direct ? "" : " (reported)");
    if (q.medium) who += ", via " + q.medium;
    if (q.date) who += ", " + q.date;
    add(box, el("p", who, "source"));
    add(box, sourceLine(q));
    return box;
  }
  function recordLine(kind, r) {
    var text;
    if (kind === "result") {
      text = r.kind + (r.seats ? " (" + r.seats + " seats)" : "") +
        (r.turnout ? " (turnout " + r.turnout + ")" : "") + (r.election ? ", " + r.election : "");
    } else {
      text = r.role + (r.organisation ? ", " + r.organisation : "") + (r.area ? ", " + r.area : "");
      if (r.from || r.until) text += " (" + (r.from || "…") + " \u2013 " + (r.until || "…") + ")";
    }
    var box = el("div");
    add(box, el("p", text));
    add(box, sourceLine(r));
    return box;
  }
  function items(parent, list, limit, render) {
    list.slice(0, limit).forEach(function (item) { add(parent, render(item)); });
    if (list.length > limit) {
      add(parent, el("p", "\u2026 and " + (list.length - limit) + " more" +
        (limit === TIP_ITEMS ? " (click for all)" : ""), "source"));
    }
  }
  function typeLine(n) {
    var d = n.d || {};
    var text = d.type;
    if (d.event_type) text += ": " + d.event_type;
    if (d.mentions) {
      text += " \u00b7 mentioned " + d.mentions + (d.mentions === 1 ? " time" : " times") +
        " in " + d.articles + (d.articles === 1 ? " article" : " articles");
    }
    return el("p", text, "kind");
  }
  function describeEdge(e, full) {
    var d = e.d || {};
    var box = el("div");
    var from = byId[e.from], to = byId[e.to];
    add(box, el("h3", fullLabel(from) + " \u2192 " + fullLabel(to)));
    add(box, el("p", d.kind + ": " + (d.label || e.label) + (d.count > 1 ? " \u00b7 " + d.count + " times" : ""),
      "kind"));
    var limit = full ? FULL_ITEMS : TIP_ITEMS;
    if (d.quotes) items(box, d.quotes, limit, quoteBlock);
    if (d.records) items(box, d.records, limit, function (r) { return recordLine(d.kind, r); });
    if (!d.quotes && !d.records && d.articles) add(box, el("p", "article " + d.articles, "source"));
    return box;
  }
  function describeNode(n, full) {
    var d = n.d || {};
    var box = el("div");
    add(box, el("h3", fullLabel(n)));
    add(box, typeLine(n));
    if (d.aliases && d.aliases.length) add(box, el("p", "Also: " + d.aliases.join("; ")));
    if (d.text) add(box, quoteBlock(d));
    else {
      if (d.summary) add(box, el("blockquote", d.summary, "quote"));
      if (d.date) add(box, el("p", "Date: " + d.date));
      add(box, sourceLine(d));
    }
    if (full) {
      add(box, el("p", d.iri, "iri"));
      var connected = network.getConnectedEdges(n.id);
      if (connected.length) {
        add(box, el("h3", "Connections (" + connected.length + ")"));
        var list = el("ul", null, "connections");
        items(list, connected, FULL_ITEMS, function (id) {
          var e = edges.get(id);
          var outgoing = e.from === n.id;
          var other = byId[outgoing ? e.to : e.from];
          var li = el("li");
          add(li, el("span", (outgoing ? "\u2192 " : "\u2190 ") + fullLabel(other) + ": " +
            ((e.d && e.d.label) || e.label)));
          var q = (e.d && e.d.quotes) || [];
          items(li, q, TIP_ITEMS, quoteBlock);
          return li;
        });
        add(box, list);
      }
    }
    return box;
  }
  function fullLabel(n) { return n ? (n.d && n.d.label) || n.label : "?"; }
  function showDetails(content) { details.replaceChildren(content); }

  /* -- the network -------------------------------------------------------------------------- */
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);
  setStatus("drawn", data.nodes.length ? "laying out\u2026" : "");
  var stopped = false;
  function settle() {
    if (stopped) return;
    stopped = true;
    network.setOptions({ physics: { enabled: false } });
    network.fit();
    setStatus("stable", "");
    searchFromHash();
  }
  network.on("stabilizationProgress", function (p) {
    setStatus("drawn", "laying out " + Math.round(100 * p.iterations / p.total) + "%");
  });
  network.once("stabilizationIterationsDone", settle);
  network.once("stabilized", settle);
  if (!data.nodes.length) settle();
  setTimeout(settle, data.settle_ms);

  function hideTip() { tip.hidden = true; }
  function showTip(content, pointer) {
    tip.replaceChildren(content);
    tip.hidden = false;
    var box = container.getBoundingClientRect();
    var x = box.left + pointer.x + 14, y = box.top + pointer.y + 14;
    x = Math.max(0, Math.min(x, window.innerWidth - tip.offsetWidth - 4));
    y = Math.max(0, Math.min(y, window.innerHeight - tip.offsetHeight - 4));
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  network.on("hoverNode", function (p) { showTip(describeNode(byId[p.node], false), p.pointer.DOM); });
  network.on("hoverEdge", function (p) { showTip(describeEdge(edges.get(p.edge), false), p.pointer.DOM); });
  ["blurNode", "blurEdge", "dragStart", "zoom"].forEach(function (name) { network.on(name, hideTip); });
  network.on("click", function (p) {
    if (p.nodes.length) showDetails(describeNode(byId[p.nodes[0]], true));
    else if (p.edges.length) showDetails(describeEdge(edges.get(p.edges[0]), true));
  });

  /* -- legend and filters ------------------------------------------------------------------ */
  var typeBoxes = {};
  function legendItem(list, entry, swatch, onToggle) {
    var li = el("li");
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.dataset.filter = entry.name;
    box.addEventListener("change", function () { onToggle(!box.checked); });
    add(label, box);
    add(label, swatch);
    add(label, el("span", entry.label));
    add(label, el("span", " (" + entry.count + ")", "count"));
    add(li, label);
    add(list, li);
    return box;
  }
  data.types.forEach(function (t) {
    var glyph = el("span", t.glyph, "glyph");
    glyph.style.color = t.color;
    typeBoxes[t.name] = legendItem(document.getElementById("legend-nodes"), t, glyph, function (hide) {
      hiddenTypes[t.name] = hide;
      nodeView.refresh();
      setStatus(status.dataset.state, "");
    });
  });
  data.kinds.forEach(function (k) {
    var line = el("span", null, "line");
    line.style.borderTopColor = k.color;
    if (k.dashes) line.style.borderTopStyle = "dashed";
    legendItem(document.getElementById("legend-edges"), k, line, function (hide) {
      hiddenKinds[k.name] = hide;
      edgeView.refresh();
    });
  });

  /* -- search ------------------------------------------------------------------------------ */
  var input = document.getElementById("search-input");
  var message = document.getElementById("search-message");
  var names = document.getElementById("search-names");
  var seen = {};
  var fragment = document.createDocumentFragment();
  data.nodes.forEach(function (n) {
    if (seen[fullLabel(n)]) return;
    seen[fullLabel(n)] = true;
    var option = document.createElement("option");
    option.value = fullLabel(n);
    fragment.appendChild(option);
  });
  names.appendChild(fragment);

  function findNode(query) {
    var q = query.trim().toLowerCase();
    if (!q) return null;
    var partial = null;
    for (var i = 0; i < data.nodes.length; i++) {
      var n = data.nodes[i];
      var label = fullLabel(n).toLowerCase();
      var aliases = (n.d && n.d.aliases) || [];
      if (label === q || (n.d && n.d.iri === query.trim())) return n;
      for (var j = 0; j < aliases.length; j++) if (aliases[j].toLowerCase() === q) return n;
      if (partial === null && label.indexOf(q) >= 0) partial = n;
    }
    return partial;
  }
  function search(query) {
    var n = findNode(query);
    if (!n) {
      message.textContent = "No node matches \u201c" + query + "\u201d";
      return;
    }
    message.textContent = "";
    if (hiddenTypes[n.group]) {
      hiddenTypes[n.group] = false;
      typeBoxes[n.group].checked = true;
      nodeView.refresh();
    }
    network.selectNodes([n.id]);
    network.focus(n.id, { scale: 1.2, animation: { duration: 400 } });
    showDetails(describeNode(n, true));
  }
  document.getElementById("search").addEventListener("submit", function (event) {
    event.preventDefault();
    search(input.value);
  });
  function searchFromHash() {
    var hash = window.location.hash;
    if (hash.indexOf("#search=") !== 0) return;
    var query = decodeURIComponent(hash.slice(8).replace(/\+/g, " "));
    input.value = query;
    search(query);
  }
}());
