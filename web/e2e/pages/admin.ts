/** The administration pages (users, departments, roles and permissions, audit log) and the
 * profile, as page objects. */

import { expect, type Locator, type Page } from "@playwright/test";

import { pick, toast } from "./antd";

export interface NewUser {
  name: string;
  email: string;
  password: string;
  roles: string[];
  departments?: string[];
}

export class UsersAdmin {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto("/admin/users");
    await expect(this.page.getByTestId("users-page")).toBeVisible();
  }

  row(text: string): Locator {
    return this.page.locator(".ant-table-row").filter({ hasText: text });
  }

  rows(): Locator {
    return this.page.locator(".ant-table-row");
  }

  /** Types into the search box and waits for the server's answer to that search. */
  async search(q: string): Promise<void> {
    const answered = this.page.waitForResponse(
      (r) => new URL(r.url()).pathname === "/api/users" && (new URL(r.url()).searchParams.get("q") ?? "") === q.trim() && r.ok(),
    );
    await this.page.getByTestId("users-search").fill(q);
    await answered;
  }

  /** `role`: the role's title, or its name where titles repeat. */
  async filterByRole(role: string): Promise<void> {
    await pick(this.page, this.page.getByTestId("users-role-filter"), role, { search: true });
  }

  async create(user: NewUser): Promise<void> {
    const page = this.page;
    await page.getByRole("button", { name: "New user" }).click();
    const dialog = page.getByRole("dialog", { name: "New user" });
    await dialog.getByLabel("Name").fill(user.name);
    await dialog.getByLabel("Email").fill(user.email);
    await dialog.getByLabel("Password", { exact: true }).fill(user.password);
    for (const dept of user.departments ?? []) {
      await dialog.getByLabel("Departments").click();
      await page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-tree-title").filter({ hasText: dept }).first().click();
    }
    await page.keyboard.press("Escape");
    for (const role of user.roles) await pick(page, dialog.getByLabel("Roles"), role);
    await page.keyboard.press("Escape");
    await dialog.getByRole("button", { name: "Create" }).click();
    await expect(dialog).toBeHidden();
    await expect(this.row(user.email)).toBeVisible();
  }
}

export class DepartmentsAdmin {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto("/admin/departments");
    await expect(this.page.getByTestId("departments-page")).toBeVisible();
  }

  node(name: string): Locator {
    return this.page.getByTestId("department").filter({ hasText: name });
  }

  /** A department at the top, or under `parent`. */
  async create(name: string, parent?: string): Promise<void> {
    const page = this.page;
    if (parent) await this.node(parent).first().getByRole("button", { name: "Add a sub-department" }).click();
    else await page.getByRole("button", { name: "New department" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog).toBeHidden();
    await expect(this.node(name).first()).toBeVisible();
  }
}

export class RolesAdmin {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto("/admin/roles");
    await expect(this.page.getByTestId("roles-page")).toBeVisible();
  }

  async create(title: string, name: string): Promise<void> {
    const page = this.page;
    await page.getByRole("button", { name: "New role" }).click();
    const dialog = page.getByRole("dialog", { name: "New role" });
    await dialog.getByLabel("Title").fill(title);
    await dialog.getByLabel("Name (used in the API)").fill(name);
    await dialog.getByRole("button", { name: "Create" }).click();
    await expect(page).toHaveURL(new RegExp(`/admin/roles/${name}$`));
    await expect(page.getByTestId("permissions-editor")).toBeVisible();
  }

  /** The rules of one collection, its panel opened. */
  async collection(name: string): Promise<Locator> {
    const rules = this.page.getByTestId(`rules-${name}`);
    if (!(await rules.isVisible())) await this.page.getByTestId(`panel-${name}`).click();
    await expect(rules).toBeVisible();
    return rules;
  }

  async allow(rules: Locator, action: string, scope: string): Promise<void> {
    await rules.getByTestId(`allow-${action}`).click();
    await pick(this.page, rules.getByTestId(`scope-${action}`), scope);
  }

  async save(): Promise<void> {
    await this.page.getByTestId("save-permissions").click();
    await toast(this.page, "Permissions saved");
  }
}

export class ProfilePage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto("/profile");
    await expect(this.page.getByTestId("profile-page")).toBeVisible();
  }

  /** Chooses a language or theme, saved with the account (`label` as the button shows it). */
  async choose(group: "profile-language" | "profile-theme", label: string): Promise<void> {
    await this.page.getByTestId(group).getByText(label, { exact: true }).click();
  }

  async changePassword(current: string, next: string): Promise<void> {
    const form = this.page.getByTestId("password-form");
    await form.getByLabel("Current password").fill(current);
    await form.getByLabel("New password", { exact: true }).fill(next);
    await form.getByLabel("New password again").fill(next);
    await form.getByRole("button", { name: "Change password" }).click();
  }
}
