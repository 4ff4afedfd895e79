import { seedTickets } from "../fixtures/api";
import { expect, test, unique } from "../fixtures/test";

test("drag a kanban card to another column changes its status", async ({ signedIn: page, api, shot }) => {
  const name = unique("board");
  const [printer] = await seedTickets(api, name);
  await page.goto(`/c/${name}/kanban`);

  const todo = page.getByTestId("kanban-column-todo");
  const doing = page.getByTestId("kanban-column-doing");
  const card = page.getByTestId(`kanban-card-${printer}`);
  await expect(todo.getByTestId(`kanban-card-${printer}`)).toBeVisible();
  await expect(doing.locator(".kanban-card")).toHaveCount(1);

  await card.dragTo(doing.locator(".kanban-cards"));
  await expect(doing.getByTestId(`kanban-card-${printer}`)).toBeVisible();
  await expect(todo.getByTestId(`kanban-card-${printer}`)).toHaveCount(0);
  await expect.poll(async () => (await api.record(name, printer ?? 0)).status).toBe("doing");
  await shot(page, "kanban-1-moved");

  // The move survives a reload (it was saved, not only drawn).
  await page.reload();
  await expect(page.getByTestId("kanban-column-doing").getByTestId(`kanban-card-${printer}`)).toBeVisible();
});

test("a kanban view opens on the kanban, its columns from the view's field, and a change of field can be saved", async ({
  signedIn: page,
  api,
  baseURL,
  shot,
}) => {
  const name = unique("board");
  await api.createCollection(name, "Board with two selects", [
    { name: "title", type: "string", title: "Title" },
    { name: "status", type: "select", title: "Status", options: { choices: [{ value: "todo" }, { value: "done" }] } },
    {
      name: "priority",
      type: "select",
      title: "Priority",
      options: { choices: [{ value: "low", label: "Low" }, { value: "high", label: "High", color: "red" }] },
    },
  ]);
  await api.createRecords(name, [
    { title: "Urgent printer", status: "todo", priority: "high" },
    { title: "Slow laptop", status: "todo", priority: "low" },
    { title: "Old ticket", status: "done", priority: "low" },
  ]);
  const headers = { Authorization: `Bearer ${api.token}`, "Content-Type": "application/json" };
  const resp = await fetch(`${baseURL}/api/collections/${name}/views`, {
    method: "POST",
    headers,
    body: JSON.stringify({ name: "By priority", kind: "kanban", config: { kanban_field: "priority", filter: { status: "todo" } } }),
  });
  expect(resp.status).toBe(201);
  const view = ((await resp.json()) as { data: { id: number } }).data;

  // The link names the grid's page; a kanban view opens on the kanban.
  await page.goto(`/c/${name}?view=${view.id}`);
  await expect(page).toHaveURL(new RegExp(`/c/${name}/kanban\\?view=${view.id}$`));
  await expect(page.getByTestId("kanban-column-high").getByText("Urgent printer")).toBeVisible();
  await expect(page.getByTestId("kanban-column-low").getByText("Slow laptop")).toBeVisible();
  // The view's filter applies: the done ticket is not on the board.
  await expect(page.getByText("Old ticket")).toHaveCount(0);
  await shot(page, "kanban-2-view");

  // Grouping by another field marks the view unsaved; saving keeps it.
  await page.getByLabel("Group by").click();
  await page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option").filter({ hasText: "Status" }).click();
  await expect(page.getByTestId("kanban-column-todo")).toBeVisible();
  await expect(page.getByTestId("view-unsaved")).toBeVisible();
  await page.getByTestId("view-save").click();
  await expect(page.getByTestId("view-unsaved")).toBeHidden();
  const saved = await fetch(`${baseURL}/api/views/${view.id}`, { headers });
  expect(((await saved.json()) as { data: { config: Record<string, unknown> } }).data.config).toEqual({ kanban_field: "status", filter: { status: "todo" } });
});
