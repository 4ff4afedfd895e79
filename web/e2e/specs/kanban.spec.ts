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
