/** An ECharts chart that follows its container's size and the light/dark theme (loaded on demand:
 * a dashboard of numbers never loads ECharts). */

import { useEffect, useRef } from "react";

import type { ThemeMode } from "../../kernel/theme";
import { echarts } from "./echarts";
import type { ChartOption } from "./options";

export function Chart({ option, mode, height, label }: { option: ChartOption; mode: ThemeMode; height: number; label: string }) {
  const el = useRef<HTMLDivElement | null>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);

  useEffect(() => {
    if (!el.current) return;
    const instance = echarts.init(el.current, mode === "dark" ? "dark" : undefined, { renderer: "svg" });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [mode]);

  useEffect(() => {
    chart.current?.setOption({ backgroundColor: "transparent", ...option }, true);
  }, [option, mode]);

  return <div ref={el} role="img" aria-label={label} style={{ width: "100%", height }} data-testid="chart" />;
}
