import { seedTickets } from "../fixtures/api";
import { pick } from "../pages/antd";
import { expect, test, unique } from "../fixtures/test";

test.use({ locale: "zh-CN" });

test("a Chinese browser gets the Chinese interface, and works in it", async ({ page, api, shot }) => {
  const name = unique("zh");
  await seedTickets(api, name);
  await page.addInitScript(([token]) => {
    if (!sessionStorage.getItem("seeded")) {
      localStorage.setItem("deskbase.token", token ?? "");
      sessionStorage.setItem("seeded", "1");
    }
  }, [api.token]);

  await page.goto(`/c/${name}`);
  await expect(page.getByRole("navigation", { name: "主导航" })).toBeVisible();
  await expect(page.getByTestId("record-count")).toHaveText("共 5 条记录");

  await page.getByRole("button", { name: "新建记录" }).click();
  const drawer = page.getByRole("dialog", { name: "新建记录" });
  await drawer.getByLabel("Title").fill("打印机卡纸");
  await pick(page, drawer.getByLabel("Status"), "Doing");
  await drawer.getByTestId("record-save").click();
  await expect(page.getByText("记录已创建")).toBeVisible();
  await expect(page.getByTestId("record-count")).toHaveText("共 6 条记录");

  await page.getByPlaceholder("搜索", { exact: true }).fill("打印机");
  await expect(page.getByTestId("record-count")).toHaveText("共 1 条记录");
  await page.getByTestId("filter-button").click();
  await expect(page.getByText("显示满足以下条件的记录")).toBeVisible();
  await page.getByRole("button", { name: /添加条件$/ }).click();
  await shot(page, "zh-1-grid-filter");
  await page.getByTestId("filter-button").click();

  await page.getByText("看板", { exact: true }).click();
  await expect(page.getByText("分组字段")).toBeVisible();
  await expect(page.getByTestId("kanban-column-doing").getByText("打印机卡纸")).toBeVisible();
  await shot(page, "zh-2-kanban");
});
