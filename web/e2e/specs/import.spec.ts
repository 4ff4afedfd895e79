import { seedTickets } from "../fixtures/api";
import { expect, test, unique } from "../fixtures/test";

const CSV = ["Title,Status,Hours,Due", "Broken chair,To do,2,2026-12-03", "Wi-Fi slow,doing,lots,2026-12-04", "Desk lamp,Done,1,"].join("\r\n");

test("import a CSV with one bad row: the dry run names it, skipping it imports the rest", async ({ signedIn: page, api, shot }) => {
  const name = unique("imports");
  await seedTickets(api, name);
  await page.goto(`/c/${name}/import`);

  await page.locator("input[type=file]").setInputFiles({
    name: "tickets.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(CSV, "utf8"),
  });
  await page.getByRole("button", { name: "Check the file" }).click();

  const errors = page.getByTestId("import-errors");
  await expect(errors).toBeVisible();
  const row = errors.locator("tbody tr").filter({ hasText: "Hours" });
  await expect(row).toHaveCount(1);
  await expect(row.locator("td").first()).toHaveText("3");
  await expect(page.getByText("1 problem: fix the file")).toBeVisible();
  await expect(page.getByRole("button", { name: "Import" })).toBeDisabled();
  await shot(page, "import-1-dry-run-error");

  // Back, skip bad rows, check again, import.
  await page.getByRole("button", { name: "Back" }).click();
  await page.getByText("Skip bad rows and import the others").click();
  await page.getByRole("button", { name: "Check the file" }).click();
  await expect(page.getByText("1 problem: that row will be skipped.")).toBeVisible();
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByText("Import finished")).toBeVisible();
  await expect(page.getByText("2 created, 0 updated, 1 skipped.")).toBeVisible();
  await shot(page, "import-2-done");

  const titles = (await api.list(name, { page_size: "50" })).map((r) => r.title);
  expect(titles).toEqual(expect.arrayContaining(["Broken chair", "Desk lamp"]));
  expect(titles).not.toContain("Wi-Fi slow");
});
