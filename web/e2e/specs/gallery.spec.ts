import { expect, test, unique } from "../fixtures/test";
import { BoardsApi, png } from "../pages/boards";

test("the gallery shows cards with their cover images, page after page", async ({ signedIn: page, api, baseURL, shot }) => {
  const name = unique("products");
  await api.createCollection(name, "Products", [
    { name: "name", type: "string", title: "Name", required: true },
    { name: "photo", type: "attachment", title: "Photo" },
    { name: "price", type: "integer", title: "Price" },
  ]);
  const boards = await BoardsApi.open(baseURL ?? "", api.token);
  const blue = await boards.upload("blue.png", png(320, 200, [22, 119, 255], [120, 200, 255]));
  const orange = await boards.upload("orange.png", png(320, 200, [250, 140, 22], [255, 220, 120]));
  const manual = await boards.upload("manual.txt", Buffer.from("not an image"), "text/plain");
  await boards.dispose();
  const filler = Array.from({ length: 120 }, (_, i) => ({ name: `Spare part ${String(i + 1).padStart(3, "0")}`, price: i }));
  const [desk, lamp, cable] = await api.createRecords(name, [
    { name: "Standing desk", photo: [blue], price: 420 },
    { name: "Desk lamp", photo: [manual, orange], price: 35 },
    { name: "USB cable", photo: [manual], price: 5 },
    ...filler,
  ]);

  await page.goto(`/c/${name}/gallery`);
  await expect(page.getByTestId("gallery-count")).toHaveText("123 records");
  const deskCard = page.getByTestId(`gallery-card-${desk?.id}`);
  await expect(deskCard.getByText("Standing desk")).toBeVisible();
  // The first image of the attachment field is the cover, fetched with the session's token.
  await expect.poll(() => deskCard.locator("img").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(320);
  await expect.poll(() => page.getByTestId(`gallery-card-${lamp?.id}`).locator("img").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(320);
  await expect(page.getByTestId(`gallery-card-${cable?.id}`).locator("img")).toHaveCount(0);
  await shot(page, "gallery-1-cards");

  // The first page holds 100 cards; scrolling to the end loads the rest.
  const cards = page.locator(".gallery-card");
  await expect(cards).toHaveCount(100);
  await page.locator(".gallery-scroll").evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(cards).toHaveCount(123);
  await expect(page.getByText("Spare part 120")).toBeVisible();
  await shot(page, "gallery-2-scrolled");

  // A card opens its record.
  await page.getByText("Spare part 120").click();
  await expect(page.locator(".ant-drawer").getByLabel("Name")).toHaveValue("Spare part 120");
});
