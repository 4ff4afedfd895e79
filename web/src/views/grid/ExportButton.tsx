/** Export what the view shows: its filter (with the quick search), sort and visible columns, as CSV
 * or XLSX, fetched with the session's token and saved under the server's file name. */

import { DownOutlined, DownloadOutlined } from "@ant-design/icons";
import { App as AntApp, Button, Dropdown } from "antd";
import { useState } from "react";

import * as endpoints from "../../api/endpoints";
import type { Collection, JSONValue } from "../../api/types";
import { useT } from "../../i18n";
import { allowedFields, can, useSession } from "../../kernel/session";
import { andFilters, searchFilter } from "./query";

interface Props {
  collection: string;
  filter: JSONValue | undefined;
  sort: string | undefined;
  fields: string[];
}

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Some browsers read the URL after click() returns.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExportButton({ collection, filter, sort, fields }: Props) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);

  const run = async (format: "csv" | "xlsx") => {
    setBusy(true);
    try {
      const { blob, filename } = await endpoints.exportRecords(collection, { format, filter, sort, fields: ["id", ...fields] });
      saveBlob(blob, filename);
    } catch (e) {
      void message.error(t("export.failed", { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dropdown
      trigger={["click"]}
      menu={{
        items: [
          { key: "csv", label: t("export.csv") },
          { key: "xlsx", label: t("export.xlsx") },
        ],
        onClick: ({ key }) => void run(key === "xlsx" ? "xlsx" : "csv"),
      }}
    >
      <Button icon={<DownloadOutlined />} loading={busy} data-testid="export-button">
        {t("export.button")} <DownOutlined />
      </Button>
    </Dropdown>
  );
}

/** Export for the boards (kanban, calendar, Gantt, gallery): the records the view shows (its
 * filter, with its search as a filter), with the collection's own fields the user may read;
 * nothing for who may not export. */
export function ViewExportButton({ collection, filter, q, sort }: { collection: Collection; filter: JSONValue | undefined; q?: string | undefined; sort?: string | undefined }) {
  const { user } = useSession();
  if (!can(user, collection.name, "export")) return null;
  const readable = allowedFields(user, collection.name, "list");
  const own = collection.fields.filter((f) => f.name !== "id" && (readable === null || readable.has(f.name)));
  const fields = [...own.filter((f) => !f.system), ...own.filter((f) => f.system)];
  return (
    <ExportButton
      collection={collection.name}
      filter={andFilters(filter, searchFilter(fields, q?.trim() ?? ""))}
      sort={sort}
      fields={fields.map((f) => f.name)}
    />
  );
}
