/** The grid's selection, columns, grouping and export, and the view bar above it, as page objects. */

import { expect, type Download, type Locator, type Page } from "@playwright/test";

import { pick } from "./antd";

export class GridTools {
  readonly grid: Locator;

  constructor(private readonly page: Page) {
    this.grid = page.getByTestId("grid");
  }

  /** The row with a cell reading exactly `text`. */
  row(text: string): Locator {
    return this.grid.locator(".ant-table-row").filter({ has: this.page.getByText(text, { exact: true }) });
  }

  /** Clicks a row's checkbox (with shift: a range from the last one clicked). */
  async select(rowText: string, { shift = false } = {}): Promise<void> {
    const box = this.row(rowText).locator(".row-select input");
    await box.click({ modifiers: shift ? ["Shift"] : [] });
  }

  selectionCount(): Locator {
    return this.page.getByTestId("selection-count");
  }

  /** The column titles, left to right, after the selection and number columns. */
  async headers(): Promise<string[]> {
    const titles = await this.grid.locator(".ant-table-thead th").allInnerTexts();
    return titles.map((s) => s.trim()).filter((s) => s !== "" && s !== "#");
  }

  async openColumns(): Promise<Locator> {
    await this.page.getByTestId("columns-button").click();
    const chooser = this.page.getByTestId("column-chooser");
    await expect(chooser).toBeVisible();
    return chooser;
  }

  async closePopover(button: string): Promise<void> {
    await this.page.getByTestId(button).click();
  }

  async groupBy(label: string | null): Promise<void> {
    await this.page.getByTestId("group-button").click();
    const editor = this.page.getByTestId("group-editor");
    if (label === null) await editor.locator(".ant-select-clear").click();
    else await pick(this.page, editor.getByLabel("Group by"), label);
    await this.page.getByTestId("group-button").click();
    await expect(editor).toBeHidden();
  }

  groupHeader(text: string): Locator {
    return this.grid.getByTestId("group-header").filter({ hasText: text });
  }

  /** Exports as CSV or XLSX and hands back the download. */
  async export(format: "CSV" | "Excel (XLSX)"): Promise<Download> {
    await this.page.getByTestId("export-button").click();
    const waiting = this.page.waitForEvent("download");
    await this.page.getByRole("menuitem", { name: format, exact: true }).click();
    return waiting;
  }
}

export class ViewBarPage {
  readonly bar: Locator;

  constructor(private readonly page: Page) {
    this.bar = page.getByTestId("view-bar");
  }

  tab(name: string | RegExp): Locator {
    return this.bar.getByRole("tab", { name });
  }

  /** "Save as view" with a name (and "shared", for administrators). */
  async saveAs(name: string, { shared = false } = {}): Promise<void> {
    await this.page.getByTestId("view-new").click();
    const dialog = this.page.getByRole("dialog", { name: "Save as a new view" });
    await dialog.getByLabel("Name").fill(name);
    if (shared) await dialog.getByText("Shared with everyone").click();
    await dialog.getByRole("button", { name: "Create" }).click();
    await expect(dialog).toBeHidden();
  }

  unsaved(): Locator {
    return this.page.getByTestId("view-unsaved");
  }

  async saveChanges(): Promise<void> {
    await this.page.getByTestId("view-save").click();
    await expect(this.unsaved()).toBeHidden();
  }
}
