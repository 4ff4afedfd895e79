/** The parts of ECharts the dashboards use (tree-shaken: bar, line, pie, funnel, Sankey; SVG rendering). */

import { BarChart, FunnelChart, LineChart, PieChart, SankeyChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";

echarts.use([BarChart, LineChart, PieChart, FunnelChart, SankeyChart, GridComponent, TooltipComponent, LegendComponent, SVGRenderer]);

export { echarts };
