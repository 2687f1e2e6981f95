/* Statistics charts (Apache ECharts, served from static/vendor/echarts by scripts/build-assets).
 * The numbers come from the page's <script type="application/json" id="insights-charts"> block, built
 * from the same rows as the table under each chart. No inline script or style: the content security
 * policy forbids both, so tooltips render as rich text and the charts draw as SVG. */
(function () {
  "use strict";
  var block = document.getElementById("insights-charts");
  if (!block || typeof echarts === "undefined") { return; }
  var charts = JSON.parse(block.textContent);
  charts.forEach(function (spec) {
    var el = document.getElementById("chart-" + spec.slug);
    if (!el) { return; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 56, right: 24, top: 36, bottom: 48 },
      xAxis: { type: "category", data: spec.categories, axisLabel: { interval: 0, rotate: spec.categories.length > 8 ? 30 : 0 } },
      yAxis: { type: "value" },
      series: spec.series.map(function (s) {
        return { name: s.name, type: spec.type, data: s.data, smooth: false,
                 label: { show: spec.categories.length <= 12 && spec.series.length === 1, position: "top" } };
      })
    });
    el.setAttribute("data-drawn", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
