import { request, type Browser, type Page } from "@playwright/test";

import { seedTickets } from "../fixtures/api";
import { Api } from "../fixtures/api";
import { expect, test, unique } from "../fixtures/test";
import { DepartmentsAdmin, ProfilePage, RolesAdmin, UsersAdmin } from "../pages/admin";
import { pick, toast } from "../pages/antd";

/** Calls the API as the administrator for what the UI under test does not do itself. */
async function asAdmin(baseURL: string, token: string, method: string, path: string, data?: unknown): Promise<unknown> {
  const ctx = await request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  const resp = await ctx.fetch(path, { method, ...(data === undefined ? {} : { data }) });
  if (!resp.ok()) throw new Error(`${method} ${path}: ${resp.status()} ${await resp.text()}`);
  const body: unknown = resp.status() === 204 ? undefined : await resp.json();
  await ctx.dispose();
  return body;
}

/** A second browser, signed in through the sign-in page as `email`. */
async function signInAs(browser: Browser, baseURL: string, email: string, password: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 }, locale: "en-US" });
  await context.addInitScript(() => window.localStorage.setItem("deskbase.locale", "en-US"));
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("user-menu")).toBeVisible();
  return page;
}

test("an administrator limits a role; its user sees only their records without the hidden field", async ({
  signedIn: page,
  api,
  shot,
  browser,
  baseURL,
}) => {
  const base = baseURL ?? "";
  const coll = unique("cases");
  const role = unique("reader");
  const email = `${unique("ann")}@example.com`;
  const password = "first-Secret-42";
  await api.createCollection(coll, "Case files", [
    { name: "title", type: "string", title: "Title", required: true },
    { name: "secret", type: "string", title: "Secret note" },
    { name: "stage", type: "string", title: "Stage" },
  ]);
  await api.createRecords(coll, [{ title: "Admin's own case", secret: "only admins", stage: "open" }]);

  // Departments: a top one and one below it.
  const depts = new DepartmentsAdmin(page);
  const top = `Support ${role.slice(-4)}`;
  await depts.open();
  await depts.create(top);
  await depts.create("Level 1", top);
  await shot(page, "admin-1-departments");

  // A role: list and get on the collection, own records only, the secret hidden.
  const roles = new RolesAdmin(page);
  await roles.open();
  await roles.create("Case reader", role);
  const rules = await roles.collection(coll);
  await roles.allow(rules, "list", "Records they created");
  await roles.allow(rules, "get", "Records they created");
  await rules.getByTestId("read-secret").uncheck();
  await expect(rules.getByTestId("read-secret")).not.toBeChecked();

  // A filter scope naming a field that does not exist: the API's 422 lands on that row.
  await roles.allow(rules, "delete", "Records matching a filter");
  const deleteFilter = rules.getByTestId("scope-filter-delete");
  await deleteFilter.getByRole("button", { name: "Edit as JSON" }).click();
  await deleteFilter.getByLabel("Filter as JSON").fill('{"nope": {"$eq": 1}}');
  await page.getByTestId("save-permissions").click();
  await expect(page.getByTestId("permissions-errors")).toContainText("1 problem");
  await expect(deleteFilter.getByTestId("rule-error")).toBeVisible();
  await shot(page, "admin-2-permission-error");
  await rules.getByTestId("allow-delete").click();
  await roles.save();
  await expect(rules.getByText("6 of 7 fields").first()).toBeVisible();
  await shot(page, "admin-3-role-permissions");

  // A filter scope with the filter builder and a condition on the signed-in user, then reverted.
  await roles.allow(rules, "update", "Records matching a filter");
  const updateFilter = rules.getByTestId("scope-filter-update");
  await updateFilter.getByRole("button", { name: "Add condition" }).click();
  await updateFilter.getByRole("button", { name: "Add a condition on the signed-in user" }).click();
  await expect(updateFilter.getByTestId("scope-variable")).toContainText("the signed-in user");
  await shot(page, "admin-3b-filter-scope");
  await page.getByRole("button", { name: "Revert" }).click();
  await expect(rules.getByTestId("scope-filter-update")).toBeHidden();
  await expect(rules.getByTestId("allow-update")).not.toBeChecked();

  // A user with that role, in the new department.
  const users = new UsersAdmin(page);
  await users.open();
  await users.create({ name: "Ann Reader", email, password, roles: ["Case reader"], departments: ["Level 1"] });
  await expect(users.row(email)).toContainText("Case reader");
  await expect(users.row(email)).toContainText("Level 1");
  await shot(page, "admin-4-users");

  // The server searches (name, email or phone; Chinese too), filters and pages; the view is in the URL.
  const tag = role.slice(-5);
  await asAdmin(base, api.token, "POST", "/api/users", { email: `${unique("zhang")}@example.com`, password, name: `张伟 ${tag}`, phone: "+86 10 8888 0000" });
  await users.open();
  await users.search(`张伟 ${tag}`);
  await expect(users.rows()).toHaveCount(1);
  await expect(users.row(`张伟 ${tag}`)).toContainText("+86 10 8888 0000");
  await expect(page).toHaveURL(/q=/);
  await shot(page, "admin-4c-users-search");
  await users.search(email.toUpperCase().slice(0, 12)); // part of an email, any case
  await expect(users.row(email)).toBeVisible();
  await users.search("no such person 999");
  await expect(page.getByText("No user matches")).toBeVisible();
  await users.search("");
  await users.filterByRole("Case reader");
  await expect(users.rows()).toHaveCount(1);
  await expect(users.row(email)).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`role=${role}`));
  await page.reload(); // the view survives a reload
  await expect(users.rows()).toHaveCount(1);
  await expect(users.row(email)).toBeVisible();
  await depts.open(); // members counted by the server
  await expect(depts.node("Level 1").first()).toContainText("1 member");

  // An API key: its secret is shown once, then it can be revoked.
  await page.getByRole("navigation", { name: "Main navigation" }).getByText("API keys").click();
  await page.getByRole("button", { name: "New API key" }).click();
  const keyDialog = page.getByRole("dialog", { name: "New API key" });
  await keyDialog.getByLabel("Name").fill("Nightly export");
  await pick(page, keyDialog.getByLabel("Role"), "Case reader");
  await keyDialog.getByRole("button", { name: "Create" }).click();
  await expect(page.getByTestId("api-key-secret")).toContainText("dsk_");
  await page.waitForTimeout(400); // the dialog's opening animation
  await shot(page, "admin-4b-api-key-once");
  await page.getByRole("button", { name: "I have copied it" }).click();
  const keyRow = page.locator(".ant-table-row").filter({ hasText: "Nightly export" });
  await keyRow.getByRole("button", { name: "Revoke" }).click();
  await page.locator(".ant-popconfirm").getByRole("button", { name: "Revoke" }).click();
  await expect(keyRow).toContainText("Revoked");

  // Ann needs a record of her own: a second role lets her create one through the API.
  const writer = unique("writer");
  await asAdmin(base, api.token, "POST", "/api/roles", { name: writer, title: "Writer" });
  await asAdmin(base, api.token, "PUT", `/api/roles/${writer}/permissions`, { [coll]: { create: { scope: "all" } } });
  const ann = await request.newContext({ baseURL: base });
  const login = await ann.post("/api/auth/login", { data: { email, password } });
  const annUser = ((await login.json()) as { user: { id: number } }).user;
  await ann.dispose();
  await asAdmin(base, api.token, "PATCH", `/api/users/${annUser.id}`, { roles: [role, writer] });
  const annApi = await Api.signIn(base, email, password);
  await annApi.createRecords(coll, [{ title: "Ann's case", secret: "Ann cannot read this back", stage: "new" }]);
  await annApi.dispose();

  // Ann signs in: her record only, no secret column, and no administration.
  const annPage = await signInAs(browser, base, email, password);
  const nav = annPage.getByRole("navigation", { name: "Main navigation" });
  await expect(nav.getByText("Case files")).toBeVisible();
  await expect(nav.getByText("Administration")).toHaveCount(0);
  await annPage.goto(`/c/${coll}`);
  const grid = annPage.getByTestId("grid");
  await expect(grid.getByText("Ann's case")).toBeVisible();
  await expect(grid.getByText("Admin's own case")).toHaveCount(0);
  await expect(grid.locator(".ant-table-thead").getByText("Title", { exact: true })).toBeVisible();
  await expect(grid.locator(".ant-table-thead").getByText("Secret note")).toHaveCount(0);
  await expect(grid.getByText("Ann cannot read this back")).toHaveCount(0);
  await shot(annPage, "admin-5-user-grid");

  // A shared view filtered and sorted on the field her role hides opens for her without those
  // parts, and says so.
  const triage = (await asAdmin(base, api.token, "POST", `/api/collections/${coll}/views`, {
    name: "Triage",
    kind: "grid",
    shared: true,
    config: { filter: { secret: { $empty: false } }, sort: "-secret" },
  })) as { data: { id: number } };
  await annPage.goto(`/c/${coll}?view=${triage.data.id}`);
  await expect(annPage.getByTestId("view-left-out")).toContainText("Parts of this view were left out (filter, sort)");
  await expect(grid.getByText("Ann's case")).toBeVisible();
  await shot(annPage, "admin-5b-view-left-out");

  await annPage.goto("/admin/users");
  await expect(annPage.getByTestId("forbidden")).toBeVisible();
  await shot(annPage, "admin-6-forbidden");

  // Her profile: roles, what they allow, and a new password (the policy's refusal first).
  await annPage.getByTestId("user-menu").click();
  await annPage.getByRole("menuitem", { name: "Profile" }).click();
  const profile = new ProfilePage(annPage);
  await expect(annPage.getByTestId("profile-page")).toBeVisible();
  await expect(annPage.getByTestId("profile-roles")).toContainText("Case reader"); // the role's title, not its name
  await expect(annPage.getByTestId("permission-summary").getByTestId("perm-list")).toContainText("List · your records");
  await profile.changePassword(password, "weakpass");
  await expect(annPage.getByTestId("password-form")).toContainText("Use both letters and digits");
  await shot(annPage, "admin-7-password-policy");
  await profile.changePassword(password, "second-Secret-43");
  await toast(annPage, "Password changed");
  await shot(annPage, "admin-8-profile");

  // Her language is saved with her account: it comes back when she signs in again, even where
  // this browser remembers another.
  await expect(annPage.locator(".ant-message").getByText("Password changed")).toBeHidden();
  await expect(annPage.getByRole("radio", { name: "Browser default" })).toBeChecked();
  await profile.choose("profile-language", "简体中文");
  await toast(annPage, "偏好设置已保存");
  await expect(annPage.getByTestId("profile-page")).toContainText("个人资料");
  await shot(annPage, "admin-8b-profile-chinese");
  await annPage.getByTestId("user-menu").click();
  await annPage.getByRole("menuitem", { name: "退出登录" }).click();
  await expect(annPage).toHaveURL(/\/login/);
  await annPage.evaluate(() => window.localStorage.setItem("deskbase.locale", "en-US"));
  await annPage.reload();
  await annPage.getByLabel("Email").fill(email);
  await annPage.getByLabel("Password").fill("second-Secret-43");
  await annPage.getByRole("button", { name: "Sign in" }).click();
  await expect(annPage.getByRole("navigation", { name: "主导航" })).toBeVisible();
  await expect(annPage.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(annPage.getByTestId("grid").getByText("Ann's case")).toBeVisible();
  await shot(annPage, "admin-8c-signed-in-again-chinese");
  await annPage.context().close();

  // The permission change in the audit log, with its before and after.
  await page.goto("/admin/audit");
  await pick(page, page.getByLabel("Action"), "Permissions changed");
  await expect(page).toHaveURL(/action=role\.permissions/);
  const entry = page.locator(".ant-table-row").filter({ hasText: "Permissions changed" }).filter({ hasText: role }).first();
  await entry.click();
  const detail = page.getByTestId("audit-detail").first();
  await expect(detail).toContainText(`${coll} › list › scope`);
  await expect(detail).toContainText("own");
  await expect(detail).toContainText(`${coll} › list › fields`);
  await shot(page, "admin-9-audit");

  // Who: found on the server as the administrator types; Ann's language change is hers.
  await page.goto("/admin/audit");
  await pick(page, page.getByLabel("Who"), "Ann Reader", { search: true });
  await expect(page).toHaveURL(/actor=\d+/);
  const localeEntry = page.locator(".ant-table-row").filter({ hasText: "locale" }).first();
  await expect(localeEntry).toContainText(email);
  await localeEntry.click();
  await expect(page.getByTestId("audit-detail").first()).toContainText("zh-CN");
  await expect(page.getByLabel("Who").locator("..")).toContainText("Ann Reader");
  await shot(page, "admin-9b-audit-who");
  await page.getByTestId("theme-switch").click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await shot(page, "admin-10-audit-dark");
  await page.goto(`/admin/roles/${role}`);
  await expect(page.getByTestId(`rules-${coll}`)).toBeVisible(); // open: the role allows something there
  await shot(page, "admin-11-roles-dark");
  await page.getByTestId("theme-switch").click();

  // The same editor in Chinese, at 1280 px.
  await page.getByTestId("language-switch").click();
  await page.getByTitle("简体中文").click();
  await expect(page.getByRole("button", { name: "保存权限" })).toBeVisible();
  await shot(page, "admin-14-roles-chinese");
  await page.getByTestId("language-switch").click();
  await page.getByTitle("English").click();
});

test("quick search finds records across collections and opens them", async ({ signedIn: page, api, shot }) => {
  const name = unique("quick");
  await seedTickets(api, name, "Helpdesk tickets");
  await page.goto("/");
  await expect(page.getByTestId("user-menu")).toBeVisible();
  await page.keyboard.press("Control+k");
  await expect(page.getByTestId("quick-search")).toBeFocused();
  await page.keyboard.type("printer");
  const results = page.getByTestId("quick-search-results");
  await expect(results.getByText("Printer jams on tray 2")).toBeVisible();
  await expect(results.getByText("Helpdesk tickets").first()).toBeVisible();
  await shot(page, "admin-12-quick-search");

  await page.keyboard.press("Enter");
  const drawer = page.locator(".ant-drawer-open");
  await expect(drawer).toBeVisible();
  await expect(drawer.locator("input[value='Printer jams on tray 2']")).toBeVisible();
  await page.waitForTimeout(400); // the drawer's opening animation
  await shot(page, "admin-13-quick-search-record");
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();

  await page.getByTestId("quick-search").click();
  await expect(results.getByText("Printer jams on tray 2")).toBeVisible();
  await results.getByTestId("quick-search-collection").first().click();
  await expect(page).toHaveURL(new RegExp(`/c/${name}\\?q=printer$`));
});
