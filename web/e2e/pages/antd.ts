/** Driving antd widgets the way a user does: open a select, pick the option by its text. */

import { expect, type Locator, type Page } from "@playwright/test";

/** Opens `select` (a combobox or its wrapper) and picks the option labelled `label`; with `search`,
 * types the label first (long lists render only the options in view). */
export async function pick(page: Page, select: Locator, label: string, { search = false } = {}): Promise<void> {
  await select.click();
  if (search) await page.keyboard.type(label);
  const option = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option").filter({ hasText: label });
  await option.first().click();
}

/** Closes any open select dropdown or popover. */
export async function escape(page: Page): Promise<void> {
  await page.keyboard.press("Escape");
}

export async function toast(page: Page, text: string): Promise<void> {
  await expect(page.locator(".ant-message").getByText(text)).toBeVisible();
}
