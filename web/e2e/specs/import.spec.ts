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

const MAPPED_CSV = ["Title,Client,Estimate (h)", "Broken chair,Acme,2", "Wi-Fi slow,Globex,5"].join("\r\n");

test("columns mapped by hand: a relation matched by name and an unknown header, then imported", async ({ signedIn: page, api, shot }) => {
  const customers = unique("customers");
  const name = unique("mapped");
  await api.createCollection(customers, "Customers", [{ name: "name", type: "string", title: "Name", unique: true }]);
  const [acme, globex] = await api.createRecords(customers, [{ name: "Acme" }, { name: "Globex" }]);
  expect(acme && globex).toBeTruthy();
  await api.createCollection(name, "Mapped tickets", [
    { name: "title", type: "string", title: "Title", required: true },
    { name: "customer", type: "many_to_one", title: "Customer", options: { target: customers } },
    { name: "hours", type: "integer", title: "Hours" },
  ]);
  await page.goto(`/c/${name}/import`);
  await page.locator("input[type=file]").setInputFiles({ name: "mapped.csv", mimeType: "text/csv", buffer: Buffer.from(MAPPED_CSV, "utf8") });
  await page.getByRole("button", { name: "Check the file" }).click();

  // The automatic match: Title by name; Client and Estimate (h) match nothing.
  const table = page.getByTestId("import-mapping");
  await expect(table).toBeVisible();
  const row = (column: string) => table.locator("tbody tr").filter({ has: page.getByRole("cell", { name: column, exact: true }) });
  await expect(row("Title").locator(".ant-select")).toContainText("Title");
  await expect(row("Client")).toContainText("(ignore)");
  await expect(row("Estimate (h)")).toContainText("no field has this name or title");
  await expect(page.getByText("Every row is valid.")).toBeVisible();
  await shot(page, "import-3-mapping-automatic");

  // Map both by hand; each change checks the file again with the mapping.
  const choose = async (column: string, option: string, screen?: string) => {
    await page.getByLabel(`Where column ${column} goes`).click();
    if (screen) await shot(page, screen);
    await page.locator(".ant-select-dropdown:visible").getByTitle(option, { exact: true }).click();
    // The list closes with an animation: the next select's list must not be confused with it.
    await expect(page.locator(".ant-select-dropdown:visible")).toHaveCount(0);
  };
  await choose("Client", "Customer, matched by Name", "import-3b-mapping-options");
  await expect(row("Client").getByText("OK")).toBeVisible();
  await choose("Estimate (h)", "Hours");
  await expect(row("Estimate (h)").getByText("OK")).toBeVisible();
  await expect(row("Client").locator(".ant-select")).toContainText("Customer, matched by Name");
  await expect(page.getByText("Every row is valid.")).toBeVisible();
  await expect(page.getByTestId("import-errors")).toHaveCount(0);
  await shot(page, "import-4-mapping-by-hand");

  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByText("2 created, 0 updated, 0 skipped.")).toBeVisible();

  const records = await api.list(name, { page_size: "50", sort: "id" });
  expect(records.map((r) => [r.title, r.customer, r.hours])).toEqual([
    ["Broken chair", acme?.id, 2],
    ["Wi-Fi slow", globex?.id, 5],
  ]);
});

test("a column mapped to a relation by id shows its bad rows next to the column", async ({ signedIn: page, api }) => {
  const customers = unique("customers");
  const name = unique("byid");
  await api.createCollection(customers, "Customers", [{ name: "name", type: "string", title: "Name" }]);
  await api.createCollection(name, "By id", [
    { name: "title", type: "string", title: "Title", required: true },
    { name: "customer", type: "many_to_one", title: "Customer", options: { target: customers } },
  ]);
  await page.goto(`/c/${name}/import`);
  await page.locator("input[type=file]").setInputFiles({
    name: "byid.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(["Title,Customer", "One,Acme"].join("\r\n"), "utf8"),
  });
  await page.getByRole("button", { name: "Check the file" }).click();
  const customer = page.getByTestId("import-mapping").locator("tbody tr").filter({ hasText: "Customer" });
  await expect(customer.locator(".ant-select")).toContainText("Customer (by record id)");
  await expect(customer.getByText("1 problem")).toBeVisible();
  await expect(page.getByRole("button", { name: "Import" })).toBeDisabled();
});

test("a required field without a column: the header is read, mapped by hand, then checked and imported", async ({ signedIn: page, api, shot }) => {
  const name = unique("subject");
  await seedTickets(api, name);
  await page.goto(`/c/${name}/import`);
  await page.locator("input[type=file]").setInputFiles({
    name: "subject.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(["Subject,Hours", "Coffee machine,4"].join("\r\n"), "utf8"),
  });
  await page.getByRole("button", { name: "Check the file" }).click();

  await expect(page.getByText("the file has no column for the required field title")).toBeVisible();
  const table = page.getByTestId("import-mapping");
  await expect(table).toBeVisible();
  await shot(page, "import-5-required-unmapped");
  await page.getByLabel("Where column Subject goes").click();
  await page.locator(".ant-select-dropdown:visible").getByTitle("Title", { exact: true }).click();
  await expect(page.getByText("Every row is valid.")).toBeVisible();
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByText("1 created, 0 updated, 0 skipped.")).toBeVisible();

  const created = (await api.list(name, { page_size: "50" })).find((r) => r.title === "Coffee machine");
  expect(created?.hours).toBe(4);
});
