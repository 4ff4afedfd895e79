import { readFileSync } from "node:fs";

import { seedTickets } from "../fixtures/api";
import { expect, test, unique } from "../fixtures/test";
import { pick, toast } from "../pages/antd";
import { GridTools, ViewBarPage } from "../pages/gridTools";

test("select rows and bulk edit them; select every matching record and bulk delete", async ({ signedIn: page, api, shot }) => {
  const name = unique("bulk");
  const ids = await seedTickets(api, name);
  // 150 more, to select beyond the first page (100 rows).
  await api.createRecords(name, Array.from({ length: 150 }, (_, i) => ({ title: `Spare part ${i + 1}`, status: "todo", hours: 0 })));
  await page.goto(`/c/${name}`);
  const grid = new GridTools(page);
  await expect(page.getByTestId("record-count")).toHaveText("155 records");

  // A click, then a shift-click: the four rows between them.
  await grid.select("Printer jams on tray 2");
  await grid.select("Reset mailbox quota", { shift: true });
  await expect(grid.selectionCount()).toHaveText("4 records selected");
  await page.getByTestId("bulk-edit").click();
  const dialog = page.getByRole("dialog", { name: "Set a field on 4 records" });
  await pick(page, dialog.getByLabel("Field"), "Hours");
  await dialog.getByLabel("New value").fill("8");
  await page.waitForTimeout(300); // the dialog's entrance, for the screenshot
  await shot(page, "views-1-bulk-edit");
  await dialog.getByRole("button", { name: "Update 4 records" }).click();
  await toast(page, "4 records updated");
  await expect(grid.selectionCount()).toBeHidden();
  const hours = async (id: number | undefined) => (await api.record(name, id ?? 0)).hours;
  expect(await Promise.all(ids.map(hours))).toEqual([8, 8, 8, 8, 1]);
  await expect(grid.row("Printer jams on tray 2").locator('[data-field="hours"]')).toHaveText("8");

  // Filter on "Spare part", select the loaded rows, then every matching record, and delete them.
  await page.getByLabel("Search", { exact: true }).fill("spare part");
  await expect(page.getByTestId("record-count")).toHaveText("150 records");
  await page.getByTestId("select-all").click();
  await expect(grid.selectionCount()).toHaveText("100 records selected");
  await page.getByTestId("select-matching").click();
  await expect(grid.selectionCount()).toHaveText("150 records selected");
  // One row left out of "all".
  await grid.select("Spare part 1");
  await expect(grid.selectionCount()).toHaveText("149 records selected");
  await page.getByTestId("bulk-delete").click();
  const confirm = page.getByRole("dialog").filter({ hasText: "Delete 149 records?" });
  await expect(confirm).toBeVisible();
  await page.waitForTimeout(300);
  await shot(page, "views-2-bulk-delete-confirm");
  await confirm.getByRole("button", { name: "Delete 149 records" }).click();
  await toast(page, "149 records deleted");
  await expect(page.getByTestId("record-count")).toHaveText("1 record");
  expect((await api.list(name, { page_size: "200" })).map((r) => r.title).sort()).toEqual(
    ["New laptop for Ann", "Printer jams on tray 2", "Projector bulb", "Reset mailbox quota", "Spare part 1", "VPN drops every hour"].sort(),
  );
});

test("hide, reorder and resize columns, group by a select, save a personal view and reopen it from its link", async ({
  signedIn: page,
  api,
  shot,
}) => {
  const name = unique("views");
  await seedTickets(api, name);
  await page.goto(`/c/${name}`);
  const grid = new GridTools(page);
  const bar = new ViewBarPage(page);
  await expect(page.getByTestId("record-count")).toHaveText("5 records");
  await expect(bar.tab("All records")).toBeVisible();
  expect((await grid.headers()).slice(0, 4)).toEqual(["Title", "Status", "Hours", "Due"]);

  // Hide "Due", drag "Hours" above "Title".
  const chooser = await grid.openColumns();
  await chooser.getByTestId("column-item-due").getByRole("checkbox").uncheck();
  await chooser.getByTestId("column-item-hours").dragTo(chooser.getByTestId("column-item-title"));
  await shot(page, "views-3-column-chooser");
  await grid.closePopover("columns-button");
  expect((await grid.headers()).slice(0, 3)).toEqual(["Hours", "Title", "Status"]);
  await expect(page.getByTestId("columns-button")).toHaveAttribute("aria-label", "1 hidden column");

  // Widen "Title" by dragging its header's edge.
  const title = grid.grid.locator(".ant-table-thead th").filter({ hasText: "Title" });
  const before = (await title.boundingBox())?.width ?? 0;
  const handle = title.getByTestId("col-resize");
  const box = await handle.boundingBox();
  if (!box) throw new Error("no resize handle");
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 60, box.y + box.height / 2, { steps: 5 });
  await page.mouse.move(box.x + 120, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await title.boundingBox())?.width ?? 0).toBeGreaterThan(before + 100);

  // Group by Status: a header per choice with its count; a group folds.
  await grid.groupBy("Status");
  await expect(grid.groupHeader("To do").getByTestId("group-count")).toHaveText("2");
  await expect(grid.groupHeader("Doing").getByTestId("group-count")).toHaveText("1");
  await expect(grid.groupHeader("Done").getByTestId("group-count")).toHaveText("2");
  await expect(grid.row("VPN drops every hour")).toBeVisible();
  await grid.groupHeader("To do").click();
  await expect(grid.row("VPN drops every hour")).toBeHidden();
  await expect(grid.row("Projector bulb")).toBeVisible();
  await shot(page, "views-4-grouped");
  await grid.groupHeader("To do").click();
  await expect(grid.row("VPN drops every hour")).toBeVisible();

  // Save it as a personal view: its id goes into the URL.
  await page.getByLabel("Search", { exact: true }).fill("o");
  await bar.saveAs("My tickets by status");
  await expect(page).toHaveURL(/\?view=\d+$/);
  const viewId = Number(new URL(page.url()).searchParams.get("view"));
  await expect(bar.tab(/My tickets by status/)).toHaveAttribute("aria-selected", "true");
  await expect(bar.unsaved()).toBeHidden();
  await shot(page, "views-5-saved-view");

  // Another page, then the link: the view comes back as it was saved.
  await page.goto("/");
  await page.goto(`/c/${name}?view=${viewId}`);
  await expect(grid.groupHeader("Done").getByTestId("group-count")).toHaveText("2");
  await expect.poll(async () => (await grid.headers()).slice(0, 3)).toEqual(["Hours", "Title", "Status"]);
  await expect(page.getByLabel("Search", { exact: true })).toHaveValue("o");
  await expect.poll(async () => (await title.boundingBox())?.width ?? 0).toBeGreaterThan(before + 100);

  // A change marks the view unsaved; "Save changes" saves it into the view.
  await grid.groupBy(null);
  await expect(bar.unsaved()).toBeVisible();
  await shot(page, "views-6-unsaved");
  await bar.saveChanges();
  const resp = await page.request.get(`/api/views/${viewId}`, { headers: { Authorization: `Bearer ${api.token}` } });
  const saved = ((await resp.json()) as { data: { shared: boolean; kind: string; config: Record<string, unknown> } }).data;
  expect(saved.shared).toBe(false);
  expect(saved.kind).toBe("grid");
  expect(saved.config).toMatchObject({ q: "o", fields: ["hours", "title", "status", "created_at", "updated_at", "created_by", "updated_by"] });
  expect(saved.config.group_by).toBeUndefined();
  expect((saved.config.widths as Record<string, number>).title).toBeGreaterThan(300);

  // "All records" is the grid as it comes.
  await bar.tab("All records").click();
  await expect(page).toHaveURL(new RegExp(`/c/${name}$`));
  await expect.poll(async () => (await grid.headers()).slice(0, 4)).toEqual(["Title", "Status", "Hours", "Due"]);
});

test("export the view's records, filter and columns as CSV", async ({ signedIn: page, api }) => {
  const name = unique("export");
  await seedTickets(api, name);
  await page.goto(`/c/${name}`);
  const grid = new GridTools(page);
  await expect(page.getByTestId("record-count")).toHaveText("5 records");

  // Only "done" records, sorted by title, without the Due column.
  await page.getByTestId("filter-button").click();
  const root = page.getByTestId("filter-root");
  await root.getByRole("button", { name: "Add condition" }).click();
  const condition = root.getByTestId("filter-condition").last();
  await pick(page, condition.getByLabel("Field"), "Status");
  await pick(page, condition.locator("input").last(), "Done");
  await page.getByTestId("filter-button").click();
  await expect(page.getByTestId("record-count")).toHaveText("2 records");
  const chooser = await grid.openColumns();
  for (const f of ["due", "created_at", "updated_at", "created_by", "updated_by"]) {
    await chooser.getByTestId(`column-item-${f}`).getByRole("checkbox").uncheck();
  }
  await grid.closePopover("columns-button");
  await grid.grid.getByRole("columnheader", { name: "Title" }).click();

  const download = await grid.export("CSV");
  expect(download.suggestedFilename()).toBe(`${name}.csv`);
  const text = readFileSync(await download.path(), "utf8").replace(/^\uFEFF/, "");
  const lines = text.trim().split(/\r\n/);
  expect(lines[0]).toBe("ID,Title,Status,Hours");
  expect(lines.slice(1).map((l) => l.split(",").slice(1).join(","))).toEqual(["Projector bulb,done,1", "Reset mailbox quota,done,1"]);
});
