/** ECharts options of the chart blocks, from aggregate rows (bar, line, pie, funnel, Sankey). */

import type { BarSeriesOption, FunnelSeriesOption, LineSeriesOption, PieSeriesOption, SankeySeriesOption } from "echarts/charts";
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from "echarts/components";
import type { ComposeOption } from "echarts/core";

import type { AggregateRow, BlockType, Field } from "../../api/types";
import { toFlow, toSeries } from "./model";

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | FunnelSeriesOption
  | SankeySeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
>;

export interface OptionContext {
  keys: string[];
  measure: string;
  /** The group keys' fields, in the order of `keys`. */
  fields: (Field | undefined)[];
  emptyLabel: string;
  /** A theme color for an antd color name (a select's choice color), or null. */
  colorOf: (name: string | null) => string | null;
  /** Formats a measure's value for labels and tooltips. */
  format: (value: number) => string;
}

export function chartOption(type: Exclude<BlockType, "number">, rows: AggregateRow[], ctx: OptionContext): ChartOption {
  if (type === "sankey") return sankeyOption(rows, ctx);
  const key = ctx.keys[0] ?? "";
  const { labels, values, colors } = toSeries(rows, key, ctx.measure, ctx.fields[0], ctx.emptyLabel);
  // A select's groups keep their choice colors, as in the grid and the kanban.
  const style = (i: number) => {
    const color = ctx.colorOf(colors[i] ?? null);
    return color ? { itemStyle: { color } } : {};
  };
  const formatter = (p: { value?: unknown }) => ctx.format(Number(p.value ?? 0));
  if (type === "pie" || type === "funnel") {
    const data = labels.map((name, i) => ({ name, value: values[i] ?? 0, ...style(i) }));
    const tooltip: TooltipComponentOption = {
      trigger: "item",
      formatter: (p) => {
        const item = Array.isArray(p) ? p[0] : p;
        return `${item?.name ?? ""}: ${ctx.format(Number(item?.value ?? 0))}${item?.percent !== undefined ? ` (${item.percent}%)` : ""}`;
      },
    };
    if (type === "pie") {
      return {
        tooltip,
        legend: { bottom: 0, type: "scroll" },
        series: [{ type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"], data }],
      };
    }
    return {
      tooltip,
      series: [
        {
          type: "funnel",
          sort: "descending",
          left: "12%",
          right: "12%",
          top: 8,
          bottom: 8,
          minSize: "8%",
          gap: 2,
          label: { show: true, position: "inside", formatter: (p) => `${p.name}: ${ctx.format(Number(p.value ?? 0))}` },
          data,
        },
      ],
    };
  }
  return {
    tooltip: { trigger: "axis", valueFormatter: (v) => ctx.format(Number(v ?? 0)) },
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: labels, axisLabel: { interval: 0, hideOverlap: true } },
    yAxis: { type: "value" },
    series: [
      type === "bar"
        ? { type: "bar", data: values.map((value, i) => ({ value, ...style(i) })), barMaxWidth: 48, label: { show: true, position: "top", formatter } }
        : { type: "line", data: values, label: { show: values.length <= 24, position: "top", formatter } },
    ],
  };
}

function sankeyOption(rows: AggregateRow[], ctx: OptionContext): ChartOption {
  const flow = toFlow(rows, [ctx.keys[0] ?? "", ctx.keys[1] ?? ""], ctx.measure, [ctx.fields[0], ctx.fields[1]], ctx.emptyLabel);
  const labels = new Map(flow.nodes.map((n) => [n.name, n.label]));
  const show = (name: string) => labels.get(name) ?? name;
  return {
    tooltip: {
      trigger: "item",
      formatter: (p) => {
        const item = Array.isArray(p) ? p[0] : p;
        const data = (item?.data ?? {}) as { source?: string; target?: string; value?: number; name?: string };
        if (data.source !== undefined && data.target !== undefined) return `${show(data.source)} → ${show(data.target)}: ${ctx.format(Number(data.value ?? 0))}`;
        return `${show(String(item?.name ?? ""))}: ${ctx.format(Number(item?.value ?? 0))}`;
      },
    },
    series: [
      {
        type: "sankey",
        left: 8,
        right: 96,
        top: 8,
        bottom: 8,
        nodeGap: 10,
        emphasis: { focus: "adjacency" },
        lineStyle: { color: "gradient", opacity: 0.4 },
        label: { formatter: (p) => show(String(p.name ?? "")) },
        data: flow.nodes.map((n) => {
          const color = ctx.colorOf(n.color);
          return color ? { name: n.name, itemStyle: { color } } : { name: n.name };
        }),
        links: flow.links,
      },
    ],
  };
}
