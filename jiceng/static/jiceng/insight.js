// Place dashboard charts (ECharts, vendored): a tile's twelve-month trend and the
// children compared. Data comes from the json_script tag "insight-data"; each
// tile's "趋势" button picks the figure both charts show. Images: the toolbox.
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("insight-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  if (!data.tiles.length) { return; }
  var trendBox = document.getElementById("insight-trend");
  var compareBox = document.getElementById("insight-compare");
  var trend = trendBox ? echarts.init(trendBox) : null;
  var compare = compareBox ? echarts.init(compareBox) : null;
  var toolbox = { feature: { saveAsImage: { title: "保存为图片", pixelRatio: 2 } } };

  function show(key) {
    var tile = data.tiles.filter(function (t) { return t.key === key; })[0] || data.tiles[0];
    var label = tile.title + "（" + tile.unit + "）";
    document.getElementById("insight-trend-title").textContent = label;
    if (trend) {
      trend.setOption({
        toolbox: toolbox,
        tooltip: { trigger: "axis" },
        grid: { left: 48, right: 24, bottom: 30, top: 36 },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value" },
        series: [{ name: tile.title, type: "line", data: tile.trend, connectNulls: false, itemStyle: { color: "#b71c1c" } }]
      }, true);
    }
    if (compare) {
      document.getElementById("insight-compare-title").textContent = label;
      compare.setOption({
        toolbox: toolbox,
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        grid: { left: 96, right: 24, bottom: 20, top: 36 },
        xAxis: { type: "value" },
        yAxis: { type: "category", data: data.children.slice().reverse() },
        series: [{ name: tile.title, type: "bar", data: tile.children.slice().reverse(), itemStyle: { color: "#f9a825" } }]
      }, true);
    }
  }

  document.querySelectorAll("[data-trend]").forEach(function (button) {
    button.addEventListener("click", function () { show(button.getAttribute("data-trend")); });
  });
  show(data.tiles[0].key);
  window.addEventListener("resize", function () {
    if (trend) { trend.resize(); }
    if (compare) { compare.resize(); }
  });
});
