import { describe, expect, it } from "vitest";

import type { Collection, DashboardBlock, Field } from "../../api/types";
import { emptyGroup, newCondition } from "../../filters/model";
import { translator } from "../../i18n";
import { blockFromForm, blockQuery, defaultForm, formFromBlock, formProblem, groupLabel, legacyBlocks, toFlow, toSeries, type BlockForm } from "./model";
import { chartOption } from "./options";

const status: Field = {
  name: "status",
  type: "select",
  options: { choices: [{ value: "open", label: "Open", color: "blue" }, { value: "done", label: "Done" }] },
};
const tickets: Collection = {
  name: "tickets",
  title: "Tickets",
  fields: [
    { name: "id", type: "integer", system: true },
    { name: "title", type: "string" },
    status,
    { name: "channel", type: "select", options: { choices: [{ value: "mail" }, { value: "phone" }] } },
    { name: "hours", type: "integer" },
    { name: "due", type: "date" },
    { name: "opened", type: "datetime" },
    { name: "tags", type: "multi_select" },
  ],
};
const t = translator("en-US");

function form(change: Partial<BlockForm>): BlockForm {
  return { ...defaultForm(tickets), ...change };
}

describe("block config → aggregate query", () => {
  it("groups a chart by one key, with its measure, order and limit", () => {
    expect(blockQuery(form({ type: "bar", measure: "sum:hours", order: "desc", limit: 10 }), tickets, "Asia/Shanghai")).toEqual({
      group_by: ["status"],
      measures: ["sum:hours"],
      filter: null,
      order: ["-sum:hours"],
      limit: 10,
      tz: null,
    });
  });

  it("buckets dates, sending the time zone for datetimes only", () => {
    const byDue = form({ keys: [{ field: "due", bucket: "week" }, { field: "", bucket: null }] });
    expect(blockQuery(byDue, tickets, "Asia/Shanghai")).toMatchObject({ group_by: ["due:week"], tz: null });
    const byOpened = form({ type: "line", keys: [{ field: "opened", bucket: "month" }, { field: "", bucket: null }], order: "asc" });
    expect(blockQuery(byOpened, tickets, "Asia/Shanghai")).toMatchObject({ group_by: ["opened:month"], order: ["count"], tz: "Asia/Shanghai" });
  });

  it("asks a number for one total, and a Sankey for two keys", () => {
    expect(blockQuery(form({ type: "number", order: "desc", limit: 5 }), tickets, null)).toEqual({
      group_by: [],
      measures: ["count"],
      filter: null,
      order: [],
      limit: null,
      tz: null,
    });
    const sankey = form({ type: "sankey", keys: [{ field: "channel", bucket: null }, { field: "status", bucket: null }] });
    expect(blockQuery(sankey, tickets, null).group_by).toEqual(["channel", "status"]);
    expect(formProblem(sankey)).toBeNull();
    expect(formProblem({ ...sankey, keys: [{ field: "status", bucket: null }, { field: "status", bucket: null }] })).toBe("dashboards.needGroup");
    expect(formProblem(form({ collection: "" }))).toBe("dashboards.needCollection");
  });

  it("sends the filter builder's conditions, and reads them back", () => {
    const cond = { ...newCondition(status), operator: "$eq" as const, value: "open" };
    const withFilter = form({ filter: { ...emptyGroup(), items: [cond] } });
    const block = blockFromForm(withFilter, tickets, "b1", []);
    expect(block.query.filter).toEqual({ status: { $eq: "open" } });
    expect(block.layout).toEqual({ x: 0, y: 0, w: 6, h: 4 });
    const back = formFromBlock(block, tickets);
    expect(back.rawFilter).toBeNull();
    expect(blockQuery(back, tickets, null)).toEqual(block.query);
  });

  it("keeps a filter the builder cannot show as it is", () => {
    const block: DashboardBlock = {
      id: "b2",
      type: "pie",
      title: "",
      collection: "tickets",
      query: { group_by: ["status"], measures: ["count"], filter: { $not: { status: "done" } }, order: ["-count"], limit: null, tz: null },
      layout: { x: 0, y: 0, w: 4, h: 4 },
    };
    const back = formFromBlock(block, tickets);
    expect(back.rawFilter).toEqual({ $not: { status: "done" } });
    expect(back.order).toBe("desc");
    expect(blockQuery(back, tickets, null)).toEqual(block.query);
  });
});

describe("filters back into the builder", () => {
  it("reads conditions and groups, and keeps what it cannot show as it is", () => {
    const read = (filter: DashboardBlock["query"]["filter"]) =>
      formFromBlock({ id: "b", type: "bar", title: "", collection: "tickets", query: { group_by: ["status"], measures: ["count"], filter, order: [], limit: null, tz: null }, layout: { x: 0, y: 0, w: 6, h: 4 } }, tickets);
    const or = read({ $or: [{ status: "open" }, { $and: [{ hours: { $gte: 3 } }, { due: { $empty: true } }] }] });
    expect(or.rawFilter).toBeNull();
    expect(or.filter.logic).toBe("$or");
    expect(or.filter.items.map((i) => i.type)).toEqual(["condition", "group"]);
    expect(read({ hours: { $gte: 1, $lt: 9 } }).filter.items).toHaveLength(2);
    expect(read({ nope: 1 }).rawFilter).toEqual({ nope: 1 });
    expect(read(null).filter.items).toEqual([]);
  });
});

describe("labels and series", () => {
  it("labels buckets, choices and empty groups", () => {
    expect(groupLabel("2026-11-01", undefined, "month", "-")).toBe("2026-11");
    expect(groupLabel("2026-10-01", undefined, "quarter", "-")).toBe("2026 Q4");
    expect(groupLabel("2026-01-01", undefined, "year", "-")).toBe("2026");
    expect(groupLabel("2026-11-02", undefined, "week", "-")).toBe("2026-11-02");
    expect(groupLabel("open", status, null, "-")).toBe("Open");
    expect(groupLabel(null, status, null, "(empty)")).toBe("(empty)");
    const rows = [
      { status: "open", count: 3 },
      { status: "done", count: 1 },
      { status: null, count: 2 },
    ];
    expect(toSeries(rows, "status", "count", status, "(empty)")).toEqual({
      labels: ["Open", "Done", "(empty)"],
      values: [3, 1, 2],
      colors: ["blue", null, null],
    });
  });

  it("turns two keys into a Sankey's nodes and links, each side apart", () => {
    const rows = [
      { channel: "mail", status: "open", count: 2 },
      { channel: "mail", status: "done", count: 1 },
      { channel: "phone", status: "open", count: 0 },
      { channel: "phone", status: "done", count: 4 },
    ];
    const flow = toFlow(rows, ["channel", "status"], "count", [tickets.fields[3], status], "-");
    expect(flow.nodes).toEqual([
      { name: "1:mail", label: "mail", color: null },
      { name: "2:Open", label: "Open", color: "blue" },
      { name: "2:Done", label: "Done", color: null },
      { name: "1:phone", label: "phone", color: null },
    ]);
    expect(flow.links).toEqual([
      { source: "1:mail", target: "2:Open", value: 2 },
      { source: "1:mail", target: "2:Done", value: 1 },
      { source: "1:phone", target: "2:Done", value: 4 },
    ]);
  });

  it("builds funnel and Sankey options", () => {
    const ctx = { keys: ["status"], measure: "count", fields: [status], emptyLabel: "-", colorOf: () => null, format: String };
    const funnel = chartOption("funnel", [{ status: "open", count: 3 }], ctx);
    expect(funnel.series).toMatchObject([{ type: "funnel", sort: "descending", data: [{ name: "Open", value: 3 }] }]);
    const sankey = chartOption("sankey", [{ channel: "mail", status: "open", count: 2 }], { ...ctx, keys: ["channel", "status"], fields: [undefined, status] });
    expect(sankey.series).toMatchObject([{ type: "sankey", data: [{ name: "1:mail" }, { name: "2:Open" }], links: [{ source: "1:mail", target: "2:Open", value: 2 }] }]);
    expect(t("dashboards.type.sankey")).toBe("Sankey");
  });
});

describe("charts kept in the browser before", () => {
  it("become server blocks laid out side by side", () => {
    localStorage.setItem(
      "deskbase.dashboard.7",
      JSON.stringify([
        { id: "x1", collection: "tickets", groupBy: "status", measure: "sum:hours", chart: "bar", title: "Hours" },
        { id: "x2", collection: "tickets", groupBy: "due", measure: "count", chart: "pie" },
      ]),
    );
    const blocks = legacyBlocks(7, () => tickets.fields);
    expect(blocks.map((b) => [b.type, b.query.group_by, b.layout])).toEqual([
      ["bar", ["status"], { x: 0, y: 0, w: 6, h: 4 }],
      ["pie", ["due:month"], { x: 6, y: 0, w: 6, h: 4 }],
    ]);
    expect(blocks[0]?.title).toBe("Hours");
    expect(legacyBlocks(8, () => [])).toEqual([]);
  });
});
