/** Driving antd widgets the way a user does: open a select, pick the option by its text. */

import { expect, type Locator, type Page } from "@playwright/test";

/** Opens `select` (a combobox or its wrapper) and picks the option labelled `label`; with `search`,
 * types the label first (long lists render only the options in view). */
export async function pick(page: Page, select: Locator, label: string, { search = false } = {}): Promise<void> {
  // A list closes with an animation: the one of the last pick must be gone before the next opens,
  // or its options (still in the page) are taken for the new list's.
  const open = page.locator(".ant-select-dropdown:visible");
  await expect(open).toHaveCount(0);
  await select.click();
  if (search) await page.keyboard.type(label);
  await open.locator(".ant-select-item-option").filter({ hasText: label }).first().click();
}

/** Closes any open select dropdown or popover. */
export async function escape(page: Page): Promise<void> {
  await page.keyboard.press("Escape");
}

export async function toast(page: Page, text: string): Promise<void> {
  await expect(page.locator(".ant-message").getByText(text)).toBeVisible();
}
