/** The user stamps (created_by, updated_by): a user's name, from the name lookup every signed-in
 * user may call (GET /api/users/lookup, batched and cached by kernel/users). */

import { Tag } from "antd";

import type { JSONValue } from "../api/types";
import { useSession } from "../kernel/session";
import { userLabel, useUserRef } from "../kernel/users";
import type { FieldTypeUI } from "./types";
import { refId } from "./values";

function UserName({ value }: { value: JSONValue | undefined }) {
  const { user } = useSession();
  const id = refId(value);
  const mine = id !== null && id === user?.id ? user.name || user.email : null;
  const ref = useUserRef(mine ? null : id);
  if (id === null) return null;
  return <Tag variant="filled">{mine ?? userLabel(id, ref)}</Tag>;
}

const stamp = (key: string): FieldTypeUI => ({
  key,
  kind: "ref",
  writable: false,
  inline: false,
  creatable: false,
  width: 140,
  render: (value) => <UserName value={value} />,
});

export const userTypes: FieldTypeUI[] = [stamp("created_by"), stamp("updated_by")];
