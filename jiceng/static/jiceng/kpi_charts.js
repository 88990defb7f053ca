// KPI dashboard charts (ECharts, vendored). Data comes from a json_script tag.
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("kpi-chart-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var trend = echarts.init(document.getElementById("kpi-trend"));
  trend.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: ["受理量", "办结量", "按期办结率%"] },
    grid: { left: 40, right: 40, bottom: 30, top: 56 },
    xAxis: { type: "category", data: data.labels },
    yAxis: [{ type: "value", name: "件" }, { type: "value", name: "%", max: 100 }],
    series: [
      { name: "受理量", type: "bar", data: data.received, itemStyle: { color: "#b71c1c" } },
      { name: "办结量", type: "bar", data: data.closed, itemStyle: { color: "#f9a825" } },
      { name: "按期办结率%", type: "line", yAxisIndex: 1, data: data.on_time }
    ]
  });
  var ranking = echarts.init(document.getElementById("kpi-ranking"));
  var rows = data.ranking.slice().reverse();
  ranking.setOption({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 90, right: 30, bottom: 20, top: 10 },
    xAxis: { type: "value", max: 100 },
    yAxis: { type: "category", data: rows.map(function (r) { return r.name; }) },
    series: [{ type: "bar", data: rows.map(function (r) { return r.value; }), itemStyle: { color: "#b71c1c" } }]
  });
  window.addEventListener("resize", function () { trend.resize(); ranking.resize(); });
});
