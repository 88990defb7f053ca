// The big screen (大屏): polls its one JSON (data-url) every data-poll seconds and
// redraws the figures, the map (outlines from the places tree, no base tiles), the
// charts, the rankings and the ticker. On a failed poll it keeps what it shows,
// says 连接中断，正在重试 and retries with back-off, so a server restart heals by
// itself; when the session has ended it says so and links to the login page.
(function () {
  "use strict";
  var root = document.getElementById("screen");
  if (!root || !window.L || !window.echarts) { return; }

  var url = root.dataset.url;
  var poll = Math.max(2, parseInt(root.dataset.poll, 10) || 30) * 1000;
  var loginUrl = root.dataset.loginUrl || "/login/";
  var isDisplay = root.dataset.display === "1";
  var statusEl = document.getElementById("screen-status");
  var updatedEl = document.getElementById("screen-updated");
  var clockEl = document.getElementById("screen-clock");
  var MAX_BACKOFF = Math.max(poll, 60000);
  var LOAD_COLOURS = ["#12324f", "#1f7a5a", "#c9a227", "#e0702a", "#d32f2f"];
  var OUTLINE_STYLE = {
    district: { color: "#4fa3ff", weight: 3, fill: false, dashArray: "8 4" },
    street: { color: "#4fa3ff", weight: 2.5, fill: false },
    community: { color: "#7fb3e6", weight: 1.5, fill: false, dashArray: "5 4" },
  };
  var WEEKDAYS = "日一二三四五六";

  var failures = 0;
  var timer = null;
  var lastTicker = {};
  var firstFit = true;
  var outlineKey = "";

  // --- small helpers -------------------------------------------------------------
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function pct(value) { return value === null || value === undefined ? "—" : value.toFixed(1); }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function loadClass(n) {
    if (!n) { return 0; }
    if (n <= 2) { return 1; }
    if (n <= 5) { return 2; }
    if (n <= 10) { return 3; }
    return 4;
  }

  // --- state line ------------------------------------------------------------------
  function setState(state, message, withLogin) {
    root.dataset.state = state;
    if (state === "ok") {
      statusEl.hidden = true;
      clear(statusEl);
      return;
    }
    clear(statusEl);
    statusEl.appendChild(document.createTextNode(message));
    if (withLogin) {
      statusEl.appendChild(document.createTextNode(" "));
      var link = el("a", "", "重新登录");
      link.href = loginUrl;
      statusEl.appendChild(link);
    }
    statusEl.hidden = false;
  }

  function tick() {
    var now = new Date();
    clockEl.textContent = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" +
      pad(now.getDate()) + " 星期" + WEEKDAYS.charAt(now.getDay()) + " " +
      pad(now.getHours()) + ":" + pad(now.getMinutes()) + ":" + pad(now.getSeconds());
  }

  // --- map ---------------------------------------------------------------------------
  var map = L.map("screen-map", {
    zoomControl: false,
    attributionControl: false,
    zoomSnap: 0.25,
  });
  map.setView([30.66, 104.06], 13);
  var outlineLayer = L.layerGroup().addTo(map);
  var gridLayer = L.layerGroup().addTo(map);
  var patrolLayer = L.layerGroup().addTo(map);
  var pointLayer = L.layerGroup().addTo(map);
  var caseLayer = L.layerGroup().addTo(map);
  var grids = {};  // code -> polygon layer

  function gridStyle(n) {
    return {
      color: "#4f7cae",
      weight: 1,
      fillColor: LOAD_COLOURS[loadClass(n)],
      fillOpacity: 0.55,
      className: "screen-grid",
    };
  }

  function tooltip(lines) {
    var box = el("div", "screen-tooltip");
    lines.forEach(function (line) { box.appendChild(el("div", "", line)); });
    return box;
  }

  function drawOutlines(outlines, load) {
    var features = (outlines && outlines.features) || [];
    var key = features.map(function (f) { return f.properties.code; }).join(",") +
      ":" + features.length;
    if (key !== outlineKey) {
      outlineKey = key;
      outlineLayer.clearLayers();
      gridLayer.clearLayers();
      grids = {};
      features.forEach(function (f) {
        var kind = f.properties.kind;
        if (kind === "grid") {
          var layer = L.geoJSON(f, { style: gridStyle(0) });
          layer.bindTooltip(tooltip([f.properties.name]), { sticky: true });
          layer.addTo(gridLayer);
          grids[f.properties.code] = { layer: layer, name: f.properties.name };
        } else {
          L.geoJSON(f, { style: OUTLINE_STYLE[kind] || OUTLINE_STYLE.community, interactive: false })
            .addTo(outlineLayer);
        }
      });
    }
    Object.keys(grids).forEach(function (code) {
      var n = load[code] || 0;
      var grid = grids[code];
      grid.layer.setStyle(gridStyle(n));
      grid.layer.setTooltipContent(tooltip([grid.name, "在办案件 " + n + " 件"]));
    });
    if (firstFit) {
      var bounds = L.latLngBounds([]);
      outlineLayer.eachLayer(function (l) { if (l.getBounds) { bounds.extend(l.getBounds()); } });
      gridLayer.eachLayer(function (l) { if (l.getBounds) { bounds.extend(l.getBounds()); } });
      if (bounds.isValid()) {
        map.fitBounds(bounds, { padding: [12, 12] });
        firstFit = false;
      }
    }
  }

  function drawCases(cases) {
    caseLayer.clearLayers();
    cases.forEach(function (c) {
      L.circleMarker([c.lat, c.lng], {
        radius: c.overdue ? 6 : 5,
        color: c.overdue ? "#ff3b3b" : "#4fd1ff",
        weight: 1,
        fillColor: c.overdue ? "#ff3b3b" : "#4fd1ff",
        fillOpacity: 0.85,
        className: "screen-case",
      }).bindTooltip(tooltip([
        c.category, c.status_label + (c.overdue ? " · 已超期" : ""),
        "已 " + c.age_hours + " 小时",
      ])).addTo(caseLayer);
    });
  }

  function drawPoints(points) {
    pointLayer.clearLayers();
    points.forEach(function (p) {
      L.circleMarker([p.lat, p.lng], {
        radius: 6, color: "#0b3d1f", weight: 2, fillColor: "#7cfc9a", fillOpacity: 0.95,
        className: "screen-point",
      }).bindTooltip(tooltip([p.name])).addTo(pointLayer);
    });
  }

  function drawPatrols(patrols) {
    patrolLayer.clearLayers();
    patrols.forEach(function (p) {
      if (p.track.length > 1) {
        L.polyline(p.track, { color: "#ffd54f", weight: 2, opacity: 0.8, className: "screen-patrol" })
          .addTo(patrolLayer);
      }
      if (p.latest) {
        L.circleMarker(p.latest, {
          radius: p.live ? 7 : 4, color: "#ffd54f", weight: 2, fillColor: "#ffd54f",
          fillOpacity: p.live ? 0.9 : 0.4, className: "screen-patrol-head",
        }).bindTooltip(tooltip([p.grid, p.live ? "巡查中" : "已结束",
          "里程 " + p.metres + " 米"])).addTo(patrolLayer);
      }
    });
  }

  // --- charts --------------------------------------------------------------------------
  var AXIS = { axisLine: { lineStyle: { color: "#4f7cae" } }, axisLabel: { color: "#a9c6e8" },
    splitLine: { lineStyle: { color: "#163a63" } } };
  var trendChart = echarts.init(document.getElementById("chart-trend"));
  var categoryChart = echarts.init(document.getElementById("chart-categories"));

  function drawCharts(charts) {
    var trend = charts.trend;
    trendChart.setOption({
      backgroundColor: "transparent",
      textStyle: { color: "#d8e6f5" },
      tooltip: { trigger: "axis" },
      legend: { top: 0, textStyle: { color: "#d8e6f5" }, data: ["受理", "结案"] },
      grid: { left: 36, right: 12, top: 28, bottom: 24 },
      xAxis: Object.assign({ type: "category", data: trend.labels }, AXIS),
      yAxis: Object.assign({ type: "value", minInterval: 1 }, AXIS),
      series: [
        { name: "受理", type: "line", smooth: true, data: trend.received, itemStyle: { color: "#4fd1ff" }, areaStyle: { opacity: 0.15 } },
        { name: "结案", type: "line", smooth: true, data: trend.closed, itemStyle: { color: "#7cfc9a" } },
      ],
    });
    var rows = charts.categories.slice().reverse();
    categoryChart.setOption({
      backgroundColor: "transparent",
      textStyle: { color: "#d8e6f5" },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: Object.assign({ type: "value", minInterval: 1 }, AXIS),
      yAxis: Object.assign({ type: "category", data: rows.map(function (r) { return r.name; }) }, AXIS),
      series: [{ type: "bar", data: rows.map(function (r) { return r.value; }), itemStyle: { color: "#4fa3ff" }, barMaxWidth: 16 }],
      graphic: rows.length ? [] : [{ type: "text", left: "center", top: "middle", style: { text: "本月暂无案件", fill: "#5f7f9f" } }],
    }, { replaceMerge: ["graphic"] });
  }

  // --- panels ----------------------------------------------------------------------------
  function drawHeadline(headline) {
    root.querySelectorAll("[data-figure]").forEach(function (node) {
      var value = headline[node.dataset.figure];
      node.textContent = node.dataset.figure.slice(-5) === "_rate" ? pct(value) : (value === null || value === undefined ? "—" : value);
    });
  }

  function drawRanking(rows) {
    var body = document.getElementById("rank-communities");
    clear(body);
    if (!rows.length) {
      var tr = el("tr");
      var td = el("td", "empty", "暂无下级区域");
      td.colSpan = 5;
      tr.appendChild(td);
      body.appendChild(tr);
      return;
    }
    rows.forEach(function (r, i) {
      var tr = el("tr", r.flag ? "flag-" + r.flag : "");
      tr.appendChild(el("td", "", i + 1));
      var name = el("td", "", r.name);
      if (r.flag) { name.appendChild(el("span", "flag-tag " + r.flag, r.flag === "red" ? "红榜" : "黑榜")); }
      tr.appendChild(name);
      tr.appendChild(el("td", "", r.received));
      tr.appendChild(el("td", "", pct(r.on_time_rate)));
      tr.appendChild(el("td", "", pct(r.satisfaction_rate)));
      body.appendChild(tr);
    });
  }

  function drawRedBlack(board) {
    var list = document.getElementById("redblack");
    var title = document.getElementById("redblack-title");
    clear(list);
    if (!board) {
      title.textContent = "物业服务红黑榜";
      list.appendChild(el("li", "empty", "暂无已公布的红黑榜"));
      return;
    }
    title.textContent = board.title;
    if (!board.entries.length) { list.appendChild(el("li", "empty", "本期无上榜单位")); }
    board.entries.forEach(function (e) {
      var li = el("li");
      li.appendChild(el("span", "name " + e.board, (e.board === "red" ? "红榜 " : "黑榜 ") + e.rank + ". " + e.name));
      li.appendChild(el("span", e.board, e.score.toFixed(1) + " 分"));
      list.appendChild(li);
    });
  }

  var KIND_LABELS = { "case": "案件", patrol: "巡查", volunteer: "志愿" };

  function drawTicker(items) {
    var list = document.getElementById("ticker");
    var seen = {};
    clear(list);
    if (!items.length) { list.appendChild(el("li", "empty", "近7天暂无动态")); }
    items.forEach(function (item) {
      var key = item.at + item.text;
      seen[key] = true;
      var li = el("li", lastTicker[key] || !Object.keys(lastTicker).length ? "" : "fresh");
      var time = el("time", "", item.time);
      time.dateTime = item.at;
      li.appendChild(time);
      li.appendChild(el("span", "kind kind-" + item.kind, KIND_LABELS[item.kind] || ""));
      li.appendChild(document.createTextNode(item.text));
      list.appendChild(li);
    });
    lastTicker = seen;
  }

  function render(data) {
    var steps = [
      function () { drawHeadline(data.headline); },
      function () { drawOutlines(data.map.outlines, data.map.grid_load); },
      function () { drawCases(data.map.cases); },
      function () { drawPoints(data.map.service_points); },
      function () { drawPatrols(data.map.patrols); },
      function () { drawCharts(data.charts); },
      function () { drawRanking(data.rankings.communities); },
      function () { drawRedBlack(data.rankings.red_black); },
      function () { drawTicker(data.ticker); },
    ];
    // one section's surprise must not stop the others, nor the polling
    steps.forEach(function (step) {
      try { step(); } catch (err) { window.console.warn("大屏绘制出错", err); }
    });
    updatedEl.textContent = "数据更新于 " + data.generated_at.slice(11, 19);
  }

  // --- polling -------------------------------------------------------------------------------
  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(load, delay);
  }

  function backoff() {
    var delay = Math.min(MAX_BACKOFF, 2000 * Math.pow(2, Math.min(failures - 1, 10)));
    return delay + Math.floor(Math.random() * 500);
  }

  function Problem(kind) { this.kind = kind; }

  function load() {
    var request = url + (url.indexOf("?") < 0 ? "?" : "&") + "_=" + Date.now();
    window.fetch(request, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
      redirect: "follow",
    }).then(function (response) {
      if (response.status === 401) { throw new Problem("login"); }
      if (response.status === 403) { throw new Problem("forbidden"); }
      if (response.status === 404) { throw new Problem(isDisplay ? "revoked" : "missing"); }
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || type.indexOf("application/json") < 0) { throw new Problem("network"); }
      return response.json();
    }).then(function (data) {
      failures = 0;
      render(data);
      setState("ok");
      schedule(poll);
    }).catch(function (problem) {
      var kind = problem instanceof Problem ? problem.kind : "network";
      if (kind === "login") {
        setState("login", "登录已失效，大屏暂停更新。", true);
        schedule(poll);
      } else if (kind === "forbidden") {
        setState("forbidden", "当前账号已无权查看该大屏。", !isDisplay);
        schedule(MAX_BACKOFF);
      } else if (kind === "revoked") {
        setState("revoked", "展示链接已停用或过期，请向街道管理员索取新链接。");
        schedule(MAX_BACKOFF);
      } else if (kind === "missing") {
        setState("missing", "该区域不存在或不在您的权限范围内。");
        schedule(MAX_BACKOFF);
      } else {
        failures += 1;
        setState("retrying", "连接中断，正在重试（第 " + failures + " 次）");
        schedule(backoff());
      }
    });
  }

  window.addEventListener("resize", function () {
    trendChart.resize();
    categoryChart.resize();
    map.invalidateSize();
  });
  // a screen woken from sleep asks at once instead of waiting out its timer
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { schedule(0); }
  });
  tick();
  window.setInterval(tick, 1000);
  load();
}());
