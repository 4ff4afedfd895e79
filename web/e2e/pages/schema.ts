/** The schema designer, as a page object. */

import { expect, type Page } from "@playwright/test";

import { pick } from "./antd";

export interface NewField {
  title: string;
  name: string;
  type: string; // the type's label in the picker, e.g. "Single select"
  required?: boolean;
  unique?: boolean;
  choices?: string[];
}

export class SchemaPage {
  constructor(private readonly page: Page) {}

  async createCollection(title: string, name: string): Promise<void> {
    const page = this.page;
    await page.goto("/schema");
    await page.getByRole("button", { name: "New collection" }).click();
    const dialog = page.getByRole("dialog", { name: "New collection" });
    await dialog.getByLabel("Title").fill(title);
    await dialog.getByLabel("Name (used in the API)").fill(name);
    await dialog.getByRole("button", { name: "Create" }).click();
    await expect(page).toHaveURL(new RegExp(`/schema/${name}$`));
  }

  async addField(field: NewField): Promise<void> {
    const page = this.page;
    await page.getByRole("button", { name: "Add field" }).click();
    const dialog = page.getByRole("dialog", { name: "Add field" });
    await dialog.getByLabel("Title").fill(field.title);
    await dialog.getByLabel("Name (used in the API)").fill(field.name);
    await pick(page, dialog.getByLabel("Type"), field.type, { search: true });
    if (field.required) await dialog.getByLabel("Required").check();
    if (field.unique) await dialog.getByLabel("Unique").check();
    if (field.choices) {
      const rows = dialog.getByTestId("choice-row");
      for (const [i, label] of field.choices.entries()) {
        if (i >= (await rows.count())) await dialog.getByRole("button", { name: "Add choice" }).click();
        await rows.nth(i).getByLabel("Label").fill(label);
      }
    }
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId("schema-fields").getByText(field.name, { exact: true })).toBeVisible();
  }
}
