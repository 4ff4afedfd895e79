/** Times from the API shown in the browser's time zone (the audit log's are UTC without an offset). */

import dayjs from "dayjs";

/** Parses an API timestamp; one without an offset is UTC. */
export function parseTime(iso: string): dayjs.Dayjs {
  return dayjs(/(Z|[+-]\d\d:?\d\d)$/.test(iso) ? iso : `${iso}Z`);
}

export function formatTime(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return "";
  return parseTime(iso).format(withSeconds ? "YYYY-MM-DD HH:mm:ss" : "YYYY-MM-DD HH:mm");
}
