import { seedTickets } from "../fixtures/api";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "../fixtures/constants";
import { expect, test, unique } from "../fixtures/test";

test("sign in, switch language and theme, sign out", async ({ page, api, shot }) => {
  const name = unique("auth");
  await seedTickets(api, name);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);

  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password").fill("not-the-password1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("Wrong email or password");
  await shot(page, "auth-1-wrong-password");

  await page.getByLabel("Password").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  const nav = page.getByRole("navigation", { name: "Main navigation" });
  await expect(nav.getByText("Support tickets").first()).toBeVisible();
  // Other specs' collections share this server: open this test's own one.
  await page.goto(`/c/${name}`);
  await expect(page.getByTestId("grid").getByText("Printer jams on tray 2")).toBeVisible();
  await shot(page, "auth-2-signed-in");

  // Chinese, then back; the choice survives a reload.
  await page.getByTestId("language-switch").click();
  await page.getByTitle("简体中文").click();
  await expect(page.getByRole("navigation", { name: "主导航" })).toBeVisible();
  await expect(page.getByText("数据表", { exact: true })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("navigation", { name: "主导航" })).toBeVisible();
  await page.getByRole("button", { name: "深色主题" }).click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await shot(page, "auth-3-chinese-dark");
  await page.getByRole("button", { name: "浅色主题" }).click();
  await page.getByTestId("language-switch").click();
  await page.getByTitle("English").click();

  await page.getByTestId("user-menu").click();
  await page.getByText("Sign out").click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard$/);
});

test("an expired session returns to sign-in, then to the page the user was on", async ({ page, api, shot }) => {
  const name = unique("expiry");
  await seedTickets(api, name);
  await page.goto("/login");
  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("user-menu")).toBeVisible();
  await page.goto(`/c/${name}/kanban`);
  await expect(page.getByTestId("kanban")).toBeVisible();

  // The session ends behind the page's back (expiry, or a sign-out elsewhere).
  const token = await page.evaluate(() => localStorage.getItem("deskbase.token"));
  await api.signOutToken(token ?? "");
  await page.getByText("Grid", { exact: true }).click();

  await expect(page).toHaveURL(new RegExp(`/login\\?next=%2Fc%2F${name}$`));
  await expect(page.getByTestId("session-expired")).toBeVisible();
  await shot(page, "auth-4-session-expired");
  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/c/${name}$`));
  await expect(page.getByTestId("grid").getByText("Printer jams on tray 2")).toBeVisible();
});
