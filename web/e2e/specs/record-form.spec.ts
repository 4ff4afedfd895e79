import { expect, test, unique } from "../fixtures/test";
import type { Api } from "../fixtures/api";
import { pick, toast } from "../pages/antd";
import { ViewBarPage } from "../pages/gridTools";
import { RecordDrawerPage } from "../pages/recordDrawer";

// A 1×1 PNG.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

/** A master (tickets with a business type, a customer, files) and a "repair" extension. */
async function seed(api: Api, baseURL: string): Promise<{ tickets: string; repair: string; customers: string }> {
  const tickets = unique("cases");
  const customers = unique("clients");
  const repair = `${tickets}_repair`;
  await api.createCollection(customers, "Clients", [{ name: "name", type: "string", title: "Name" }]);
  await api.createRecords(customers, [{ name: "Acme Printing" }, { name: "Globex" }, { name: "Initech" }]);
  await api.createCollection(tickets, "Service cases", [
    { name: "title", type: "string", title: "Title", required: true },
    {
      name: "biz_type",
      type: "select",
      title: "Type",
      options: { choices: [{ value: "repair", label: "Repair", color: "orange" }, { value: "question", label: "Question", color: "blue" }] },
    },
    { name: "customer", type: "many_to_one", title: "Customer", options: { target: customers } },
    { name: "notes", type: "text", title: "Notes" },
    { name: "files", type: "attachment", title: "Files" },
  ]);
  // The API client has no call for extensions: post the collection as a script would.
  const resp = await fetch(`${baseURL}/api/collections`, {
    method: "POST",
    headers: { Authorization: `Bearer ${api.token}`, "Content-Type": "application/json" },
    body: JSON.stringify({
      name: repair,
      title: "Repair",
      extends: { master: tickets, discriminator: "biz_type", value: "repair" },
      fields: [
        { name: "serial_no", type: "string", title: "Serial no", required: true },
        { name: "model", type: "string", title: "Model" },
      ],
    }),
  });
  if (!resp.ok) throw new Error(`extension: ${resp.status} ${await resp.text()}`);
  return { tickets, repair, customers };
}

test("the record form: business-type fields, a refused value on its field, a searched relation, an attachment and the history", async ({
  signedIn: page,
  api,
  baseURL,
  shot,
}) => {
  const { tickets, repair } = await seed(api, baseURL ?? "");
  await page.goto(`/c/${tickets}`);
  const drawers = new RecordDrawerPage(page);

  // A new repair case: the repair fields appear with the type; saving without the serial number
  // shows the API's 422 on that field.
  const drawer = await drawers.openNew();
  await drawer.getByLabel("Title").fill("Printer jams on tray 2");
  await expect(drawer.getByTestId("record-extension")).toHaveCount(0);
  await pick(page, drawer.getByLabel("Type"), "Repair");
  const ext = drawer.getByTestId("record-extension");
  await expect(ext.getByText("Repair details")).toBeVisible();
  // The customer picker searches the server as one types.
  await drawer.getByLabel("Customer").click();
  await page.keyboard.type("glob");
  await page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option").filter({ hasText: "Globex" }).click();
  await drawers.save(drawer);
  await expect(drawers.fieldError(ext, "Serial no")).toHaveText("this field is required");
  await page.waitForTimeout(300);
  await shot(page, "form-1-extension-422");
  await ext.getByLabel("Serial no").fill("SN-4411");
  await drawers.save(drawer);
  await toast(page, "Record created");
  const [created] = await api.list(tickets, { filter: JSON.stringify({ title: "Printer jams on tray 2" }) });
  expect(created?.[repair]).toEqual({ serial_no: "SN-4411", model: null });
  const id = Number(created?.id);

  // Open it: upload an image, see its preview, save.
  const edit = await drawers.open(id);
  await expect(edit.getByTestId("record-extension").getByLabel("Serial no")).toHaveValue("SN-4411");
  await edit.locator("input[type=file]").setInputFiles({ name: "jam.png", mimeType: "image/png", buffer: PNG });
  await expect(edit.getByTestId("attachment-item").filter({ hasText: "jam.png" })).toBeVisible();
  await expect(edit.getByTestId("attachment-preview")).toBeVisible();
  await edit.getByLabel("Title").fill("Printer jams on tray 3");
  await page.waitForTimeout(300);
  await shot(page, "form-2-attachment-preview");
  await drawers.save(edit);
  await toast(page, "Saved");
  const saved = await api.record(tickets, id);
  expect((saved.files as { filename: string }[]).map((f) => f.filename)).toEqual(["jam.png"]);
  expect(saved.title).toBe("Printer jams on tray 3");

  // The history lists the edit, the title before and after.
  const again = await drawers.open(id);
  await again.getByRole("tab", { name: "History" }).click();
  const entries = again.getByTestId("history-entry");
  await expect(entries).toHaveCount(2);
  await expect(entries.first()).toContainText("changed");
  await expect(entries.first()).toContainText("Printer jams on tray 2");
  await expect(entries.first()).toContainText("Printer jams on tray 3");
  await expect(entries.first()).toContainText("jam.png");
  await expect(entries.last()).toContainText("created the record");
  await page.waitForTimeout(300);
  await shot(page, "form-3-history");
});

test("a business type has its entry in the navigation: its records, its fields, and new records of that type", async ({
  signedIn: page,
  api,
  baseURL,
  shot,
}) => {
  const { tickets, repair } = await seed(api, baseURL ?? "");
  await api.createRecords(tickets, [
    { title: "Broken printer", biz_type: "repair", [repair]: { serial_no: "SN-1" } },
    { title: "Broken screen", biz_type: "repair", [repair]: { serial_no: "SN-2" } },
    { title: "How do I print?", biz_type: "question" },
  ]);
  await page.goto(`/c/${tickets}`);
  const nav = page.getByRole("navigation", { name: "Main navigation" });
  // The tests share a server: this master's entries, by their keys.
  const entry = (key: string) => nav.locator(`[data-menu-id$="c:${key}"]`);
  await expect(entry(`${tickets}?type=${repair}`)).toHaveText("Repair");
  await entry(`${tickets}?type=${repair}`).click();
  await expect(page).toHaveURL(new RegExp(`/c/${tickets}\\?type=${repair}$`));
  await expect(page.getByTestId("record-count")).toHaveText("2 records");
  await expect(page.getByRole("columnheader", { name: "Repair: Serial no" })).toBeVisible();
  await expect(page.getByTestId("columns-button")).not.toHaveAttribute("aria-label", /hidden/);
  await expect(page.getByTestId("grid").getByText("SN-2")).toBeVisible();
  await expect(page.getByTestId("grid").getByText("How do I print?")).toHaveCount(0);
  await shot(page, "form-4-business-type-grid");

  // Saved as a view, the grid keeps the type (its link has no `?type=`).
  await new ViewBarPage(page).saveAs(unique("Repairs"));
  await expect(page).toHaveURL(/\?view=\d+$/);
  await page.reload();
  await expect(page.getByTestId("record-count")).toHaveText("2 records");
  await expect(page.getByRole("columnheader", { name: "Repair: Serial no" })).toBeVisible();

  // A new record here is a repair: its fields are asked for at once.
  await page.getByRole("button", { name: "New record" }).click();
  const drawer = page.locator(".ant-drawer");
  await expect(drawer.getByTestId("record-extension")).toBeVisible();
  await drawer.getByLabel("Title").fill("Broken scanner");
  await drawer.getByLabel("Serial no").fill("SN-3");
  await drawer.getByTestId("record-save").click();
  await expect(page.getByTestId("grid").getByText("SN-3")).toBeVisible();
  const added = (await api.list(tickets, { filter: JSON.stringify({ title: "Broken scanner" }) }))[0];
  expect(added?.biz_type).toBe("repair");

  // The master's own entry lists every type again.
  await entry(tickets).click();
  await expect(page.getByTestId("record-count")).toHaveText("4 records");
});
