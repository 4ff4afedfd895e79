/** A collection's grid view, as a page object. */

import { expect, type Locator, type Page } from "@playwright/test";

import { pick } from "./antd";

export class GridPage {
  readonly grid: Locator;

  constructor(private readonly page: Page) {
    this.grid = page.getByTestId("grid");
  }

  async open(collection: string): Promise<void> {
    await this.page.goto(`/c/${collection}`);
    await expect(this.grid.locator(".ant-table")).toBeVisible();
  }

  row(text: string): Locator {
    return this.grid.locator(".ant-table-row").filter({ hasText: text });
  }

  cell(rowText: string, field: string): Locator {
    return this.row(rowText).locator(`[data-field="${field}"]`);
  }

  /** The input of the cell being edited. */
  editor(): Locator {
    return this.grid.locator(".cell-editing input");
  }

  /** The values of one column, top to bottom, as shown. */
  async column(field: string): Promise<string[]> {
    return this.grid.locator(`.ant-table-row [data-field="${field}"]`).allInnerTexts();
  }

  async count(): Promise<string> {
    return (await this.page.getByTestId("record-count").innerText()).trim();
  }

  /** Adds a condition `field operator value` in the filter popover (value typed, or picked). */
  async addFilter(field: string, operator: string, value: { type?: string; pick?: string }): Promise<void> {
    const page = this.page;
    await page.getByTestId("filter-button").click();
    const root = page.getByTestId("filter-root");
    await root.getByRole("button", { name: "Add condition" }).click();
    const condition = root.getByTestId("filter-condition").last();
    await pick(page, condition.getByLabel("Field"), field);
    await pick(page, condition.getByLabel("Operator"), operator);
    const input = condition.locator("input").last();
    if (value.pick) await pick(page, input, value.pick);
    if (value.type) await input.fill(value.type);
    await page.getByTestId("filter-button").click(); // closes the popover
    await expect(root).toBeHidden();
  }
}
