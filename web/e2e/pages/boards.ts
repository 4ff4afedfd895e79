/** Helpers of the boards specs (calendar, Gantt, gallery, dashboards): dates, images to upload,
 * the dashboards API, and pointer drags by a distance. */

import { deflateSync } from "node:zlib";

import { request, type APIRequestContext, type Locator, type Page } from "@playwright/test";

/** A day `n` days from today (UTC, as the browser tests run in UTC), `YYYY-MM-DD`. */
export function day(n = 0): string {
  const d = new Date();
  d.setUTCHours(12, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function crc32(bytes: Buffer): number {
  let c = -1;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return (c ^ -1) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A `width`×`height` PNG: a diagonal gradient from one RGB color to another. */
export function png(width: number, height: number, from: [number, number, number], to: [number, number, number]): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const t = (x / width + y / height) / 2;
      for (let c = 0; c < 3; c++) row[1 + x * 3 + c] = Math.round((from[c] ?? 0) * (1 - t) + (to[c] ?? 0) * t);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

export interface DashboardJson {
  id: number;
  name: string;
  blocks: { id: string; type: string; title: string; layout: { x: number; y: number; w: number; h: number } }[];
}

/** The routes these specs call that the shared API fixture does not have. */
export class BoardsApi {
  private constructor(private readonly request: APIRequestContext) {}

  static async open(baseURL: string, token: string): Promise<BoardsApi> {
    return new BoardsApi(await request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } }));
  }

  async dispose(): Promise<void> {
    await this.request.dispose();
  }

  async upload(filename: string, body: Buffer, mimeType = "image/png"): Promise<number> {
    const resp = await this.request.post("/api/attachments", { multipart: { file: { name: filename, mimeType, buffer: body } } });
    if (!resp.ok()) throw new Error(`upload: ${resp.status()} ${await resp.text()}`);
    return ((await resp.json()) as { data: { id: number } }).data.id;
  }

  async dashboards(): Promise<DashboardJson[]> {
    const resp = await this.request.get("/api/dashboards");
    if (!resp.ok()) throw new Error(`dashboards: ${resp.status()} ${await resp.text()}`);
    return ((await resp.json()) as { data: DashboardJson[] }).data;
  }
}

/** Presses on `target` (its center, or `at` from its top-left), moves by (dx, dy) in steps and
 * releases: a pointer drag, as a user's mouse makes it. */
export async function dragBy(page: Page, target: Locator, dx: number, dy: number, at?: { x: number; y: number }): Promise<void> {
  const box = await target.boundingBox();
  if (!box) throw new Error("nothing to drag");
  const x = box.x + (at ? at.x : box.width / 2);
  const y = box.y + (at ? at.y : box.height / 2);
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx / 2, y + dy / 2, { steps: 5 });
  await page.mouse.move(x + dx, y + dy, { steps: 5 });
  await page.mouse.up();
}
