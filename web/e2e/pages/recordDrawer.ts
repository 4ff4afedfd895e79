/** The record drawer (form, extension fields, attachments, history), as a page object. */

import { expect, type Locator, type Page } from "@playwright/test";

export class RecordDrawerPage {
  constructor(private readonly page: Page) {}

  /** The drawer of a new record, or of record `id`. */
  dialog(id?: number): Locator {
    return this.page.getByRole("dialog", { name: id === undefined ? "New record" : `Record ${id}` });
  }

  async openNew(): Promise<Locator> {
    await this.page.getByRole("button", { name: "New record" }).click();
    const d = this.dialog();
    await expect(d).toBeVisible();
    return d;
  }

  async open(id: number): Promise<Locator> {
    await this.page.getByRole("button", { name: `Open record ${id}` }).click();
    const d = this.dialog(id);
    await expect(d).toBeVisible();
    return d;
  }

  /** The message shown under a form field (the field's label). */
  fieldError(drawer: Locator, label: string): Locator {
    return drawer.locator(".ant-form-item").filter({ has: this.page.getByText(label, { exact: true }) }).locator(".ant-form-item-explain-error");
  }

  async save(drawer: Locator): Promise<void> {
    await drawer.getByTestId("record-save").click();
  }
}
